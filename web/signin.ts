import { html } from './html';
import { page } from './layout';
import { ROLE_ZH, type Principal } from './session';

/**
 * Where to go after signing in: a path on this server, else `/`. Only `/` followed by something that is
 * not `/` or a backslash, with no backslash, control character (tab and newline included: a browser
 * drops them, so `/\t/evil` becomes `//evil`) or bidi mark anywhere — checked as given (the query is
 * already decoded once) and decoded once more, so a second layer of encoding hides nothing.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return '/';
  }
  return [next, decoded].every(isLocalPath) ? next : '/';
}

// Backslash, C0 and C1 controls (tab, newline), and bidi marks.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function isLocalPath(p: string): boolean {
  return /^\/(?![/\\])/.test(p) && !UNSAFE.test(p);
}

export function signinPage(principal: Principal, next: unknown = '/'): string {
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
    <form data-form="signin" class="signin-form" data-next="${safeNext(next)}">
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
