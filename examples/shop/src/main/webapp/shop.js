/* Holdfast example shop: shared helpers. Plain JS, no build step. */
'use strict';
var Shop = (function () {
  var API = 'api/holdfast/v1';
  var me = null;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return 'k' + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'testid') e.setAttribute('data-testid', attrs[k]);
      else if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else if (k.indexOf('on') === 0) e.addEventListener(k.slice(2), attrs[k]);
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  function showError(err) {
    var box = document.querySelector('[data-testid=error]');
    if (box) box.textContent = err ? String(err.message || err) : '';
    if (err) console.warn(err);
  }

  /** fetch JSON; POSTs carry an Idempotency-Key; problem+json becomes an Error "title: detail". */
  function call(method, path, body, opts) {
    opts = opts || {};
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') headers['Idempotency-Key'] = opts.key || uuid();
    var init = { method: method, headers: headers, credentials: 'same-origin' };
    if (opts.raw) {
      init.body = opts.raw; headers['Content-Type'] = opts.contentType || 'application/octet-stream';
      if (opts.filename) headers['Holdfast-Filename'] = opts.filename;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body); headers['Content-Type'] = 'application/json';
    }
    return fetch(path, init).then(function (r) {
      var type = r.headers.get('Content-Type') || '';
      if (type.indexOf('text/html') === 0 && r.redirected) { location.href = 'login.html'; throw new Error('logged out'); }
      if (r.status === 204) return null;
      return (type.indexOf('json') >= 0 ? r.json() : r.text()).then(function (data) {
        if (!r.ok) {
          var msg = data && data.title ? data.title + ': ' + (data.detail || '') : 'HTTP ' + r.status;
          var e = new Error(msg); e.problem = data; e.status = r.status; throw e;
        }
        return data;
      });
    });
  }

  function fmt(m) {
    if (!m) return '';
    var minor = Number(m.minor), scale = m.scale, asset = m.asset;
    if (asset === 'BTC' && scale === 11) return (minor / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 }) + ' sat';
    var s = (minor / Math.pow(10, scale)).toFixed(Math.min(scale, asset === 'XLM' ? 2 : scale));
    return s + ' ' + asset;
  }

  function status(text, testid) {
    return el('span', { 'class': 'status ' + (text || ''), testid: testid, text: text || '' });
  }

  function header(active) {
    var top = document.getElementById('top');
    var links = [['catalog', 'index.html', 'Shop'], ['orders', 'orders.html', 'My orders'], ['p2p', 'p2p.html', 'P2P desk']];
    if (me.arbiter || me.operator) links.push(['arbiter', 'arbiter.html', 'Disputes']);
    if (me.operator) links.push(['ops', 'ops.html', 'Operator']);
    if (me.simulated) links.push(['wallets', 'wallets.html', 'Wallets']);
    top.innerHTML = '';
    top.appendChild(el('span', { 'class': 'brand', text: 'Holdfast shop' }));
    var nav = el('nav');
    links.forEach(function (l) {
      nav.appendChild(el('a', { href: l[1], testid: 'nav-' + l[0], 'class': l[0] === active ? 'active' : '', text: l[2] }));
    });
    top.appendChild(nav);
    top.appendChild(el('span', { 'class': 'me' }, ['logged in as ', el('b', { testid: 'nav-user', text: me.user }), ' · ',
      el('a', { href: 'logout', testid: 'logout', text: 'log out' })]));
  }

  /** Boots a page: who am I, the header, then the page's own init. */
  function page(active, init) {
    call('GET', 'api/shop/me').then(function (m) {
      me = m; header(active);
      return init(m);
    }).catch(showError);
  }

  /** Live events of one escrow (or all the caller may see) over SSE; calls onEvent(type, data, seq). */
  var TYPES = ('EscrowCreated FundingRequested InstructionIssued EscrowFunded FundingFailed EscrowExpired EscrowCancelled ' +
    'MilestoneDelivered PayoutRequested PayoutSucceeded PayoutFailed EscrowClosed DisputeOpened EvidenceSubmitted ' +
    'DisputeMessagePosted SettlementOffered ArbiterAssigned DisputeDecided DisputeAppealed DisputeResolved BondRequested ' +
    'BondPosted BondReturned BondForfeited RailTroubleRecorded WithdrawalRequested WithdrawalSucceeded WithdrawalFailed').split(' ');
  function live(escrowId, onEvent) {
    var url = API + '/events/stream' + (escrowId ? '?escrow=' + encodeURIComponent(escrowId) : '');
    var src = new EventSource(url, { withCredentials: true });
    var indicator = document.querySelector('[data-testid=live-state]');
    function state(s) { if (indicator) { indicator.textContent = s; indicator.parentNode.className = 'live ' + s; } }
    src.onopen = function () { state('connected'); };
    src.onerror = function () { state('reconnecting'); };
    function handle(ev) {
      var data = null; try { data = JSON.parse(ev.data); } catch (e) { /* not JSON */ }
      var last = document.querySelector('[data-testid=last-event]');
      if (last) { last.textContent = ev.type; last.setAttribute('data-seq', ev.lastEventId || ''); }
      onEvent(ev.type, data, ev.lastEventId);
    }
    TYPES.forEach(function (t) { src.addEventListener(t, handle); });
    src.onmessage = handle;
    return src;
  }

  function param(name) { return new URLSearchParams(location.search).get(name); }

  return { API: API, call: call, el: el, fmt: fmt, status: status, page: page, live: live, showError: showError,
    uuid: uuid, param: param, me: function () { return me; } };
})();
