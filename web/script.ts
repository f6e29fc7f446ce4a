// The pages' one script, served as /assets/app.js. Plain ES2017 for the browser, kept as a string so the
// compiled server (dist/) carries it without a front-end build step.
export const APP_JS = String.raw`(function () {
  'use strict';
  var body = document.body;

  // The last answer a form was given: a live swap that redraws the form redraws the answer with it.
  var lastSaid = null;
  function say(form, text, bad) {
    var out = form.querySelector('.form-msg');
    if (!out) return;
    out.textContent = text;
    out.className = 'form-msg ' + (bad ? 'bad' : 'ok');
    lastSaid = form.dataset.form ? { kind: form.dataset.form, text: text, bad: bad } : null;
  }

  function fieldsOf(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === 'file' || ((el.type === 'radio' || el.type === 'checkbox') && !el.checked)) return;
      var v = el.value.trim();
      if (v === '') return;
      if (el.dataset.kind === 'list') v = v.split(/[,，、;；\s]+/).filter(Boolean);
      else if (el.dataset.kind === 'subs') v = v.split(/\r?\n/).filter(function (l) { return l.trim(); }).map(function (l) {
        var p = l.split(/[;；]/).map(function (x) { return x.trim(); });
        var names = function (x) { return (x || '').split(/[,，、]/).map(function (d) { return d.trim(); }).filter(Boolean); };
        var sub = { title: p[0] || '', due: p[1] || '', lead: names(p[2]) };
        if (p[3]) sub.cooperating = names(p[3]);
        return sub;
      });
      else if (el.dataset.kind === 'bool') v = v === 'true';
      else if (el.dataset.kind === 'number' || el.dataset.kind === 'int') v = Number(v);
      else if (el.type === 'datetime-local') v = v.replace('T', ' ');
      data[el.name] = v;
    });
    return data;
  }

  async function send(url, method, data) {
    var res = await fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: data ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
      body: data ? JSON.stringify(data) : undefined,
    });
    var out = {};
    try { out = await res.json(); } catch (e) { out = {}; }
    return { ok: res.ok, status: res.status, body: out };
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target.closest && ev.target.closest('[data-signout]');
    if (!t) return;
    ev.preventDefault();
    send('/api/session', 'DELETE').finally(function () { location.href = '/signin'; });
  });

  document.addEventListener('submit', async function (ev) {
    var form = ev.target;
    var kind = form.dataset.form;
    if (!kind) return;
    ev.preventDefault();
    var button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    say(form, '提交中…', false);
    try {
      var data = fieldsOf(form);
      if (kind === 'signin') {
        var r = await send('/api/session', 'POST', { token: data.token || '' });
        if (!r.ok) return say(form, r.body.message || '登录失败（' + r.status + '）', true);
        // The server vetted the next page (same origin, a path only): safeNext in web/signin.ts.
        location.href = form.dataset.next || '/';
        return;
      }
      // Files go up first (multipart, to the task's attachments); the command then names their hashes.
      var picked = form.querySelector('input[type=file]');
      if (picked && picked.files.length) {
        var upload = new FormData();
        Array.prototype.forEach.call(picked.files, function (f) { upload.append('file', f, f.name); });
        say(form, '上传佐证材料… / uploading…', false);
        var up = await fetch(form.getAttribute('action').replace(/\/[^\/]+$/, '/attachments'), {
          method: 'POST',
          credentials: 'same-origin',
          headers: { accept: 'application/json' },
          body: upload,
        });
        var got = {};
        try { got = await up.json(); } catch (e) { got = {}; }
        if (!up.ok) return say(form, got.message || '上传未成功（' + up.status + '）', true);
        data.attachments = got.files.map(function (f) { return f.sha256; });
      }
      // An action's {field} is that field's value, taken out of the body (/api/enterprises/{code}/cards).
      var url = form.getAttribute('action').replace(/\{(\w+)\}/g, function (_, k) {
        var v = data[k] || '';
        delete data[k];
        return encodeURIComponent(v);
      });
      var res = await send(url, 'POST', data);
      if (!res.ok) return say(form, res.body.message || '操作未成功（' + res.status + '）', true);
      form.reset();
      say(form, '已提交 / done', false);
      refresh(true);
    } catch (e) {
      say(form, '网络错误，请重试 / network error: ' + e.message, true);
    } finally {
      if (button) button.disabled = false;
    }
  });

  // Live regions: on a change the page is fetched again and each [data-live] element swapped in place.
  function dirty(el) {
    var a = document.activeElement;
    if (a && el.contains(a) && a.matches('input, textarea, select')) return true;
    return Array.prototype.some.call(el.querySelectorAll('input:not([type=hidden]):not([type=radio]), textarea'), function (i) {
      return i.value !== i.defaultValue;
    });
  }

  function swap(doc, force) {
    document.querySelectorAll('[data-live]').forEach(function (el) {
      var next = doc.getElementById(el.id);
      if (!next || next.innerHTML === el.innerHTML) return;
      if (!force && dirty(el)) {
        el.classList.add('stale');
        return;
      }
      var fresh = document.importNode(next, true);
      fresh.classList.add('flash');
      el.replaceWith(fresh);
      var redrawn = lastSaid && fresh.querySelector('form[data-form="' + lastSaid.kind + '"]');
      if (redrawn) say(redrawn, lastSaid.text, lastSaid.bad);
    });
    charts();
  }

  var busy = false, again = false, again_force = false, timer;
  async function refresh(force) {
    if (busy) { again = true; again_force = again_force || !!force; return; }
    busy = true;
    try {
      var res = await fetch(location.href, { credentials: 'same-origin', headers: { 'x-duban-live': '1' } });
      if (res.ok) swap(new DOMParser().parseFromString(await res.text(), 'text/html'), force);
    } catch (e) {
      /* the next change or reconnect tries again */
    } finally {
      busy = false;
      if (again) { var f = again_force; again = again_force = false; refresh(f); }
    }
  }
  function soon() { clearTimeout(timer); timer = setTimeout(function () { refresh(false); }, 150); }

  var watch = body.dataset.watch;
  if (watch && window.EventSource) {
    var es = new EventSource('/events');
    es.addEventListener('ready', function () { body.dataset.live = 'on'; soon(); });
    es.addEventListener('task', function (ev) {
      var changes = JSON.parse(ev.data);
      if (watch === '*' || changes.some(function (c) { return c.id === watch; })) soon();
    });
    es.addEventListener('error', function () { body.dataset.live = 'off'; });
  }

  function charts() {
    if (!window.echarts) return;
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var src = document.getElementById(el.dataset.chart);
      if (!src) return;
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      chart.setOption(JSON.parse(src.textContent), true);
    });
  }
  charts();
  window.addEventListener('resize', function () {
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var c = window.echarts && window.echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  });
})();
`;
