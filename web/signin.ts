import { html } from './html';
import { page } from './layout';
import { ROLE_ZH, type Principal } from './session';

export function signinPage(principal: Principal): string {
  const already =
    principal.role === 'public'
      ? html``
      : html`<p>
          当前已登录：${principal.department ?? principal.region ?? ''}${ROLE_ZH[principal.role]}。<a href="/"
            >进入总览</a
          >
          或换一个令牌登录。
        </p>`;
  const body = html`<div class="signin panel">
    ${already}
    <form data-form="signin" class="signin-form">
      <label for="token">访问令牌</label>
      <input
        id="token"
        name="token"
        type="password"
        autocomplete="off"
        required
        maxlength="500"
        placeholder="粘贴督查室发放的令牌"
      />
      <p class="muted">
        令牌由督查室用 <code>duban token create</code> 生成，每个单位一个；登录后保存在本浏览器的安全 Cookie
        中。
      </p>
      <button type="submit">登录</button>
      <div class="form-msg" role="status"></div>
    </form>
    <p><a href="/public">不登录，查看公开信息 →</a></p>
  </div>`;
  return page({ title: '登录督办系统', principal, body });
}
