/* The escrow page: everything a party, the arbiter or the operator does with one escrow. */
'use strict';
(function () {
  var el = Shop.el, fmt = Shop.fmt, API = Shop.API;
  var id = Shop.param('id');
  var base = API + '/escrows/' + encodeURIComponent(id);
  var view = null, me = null;
  var $ = function (x) { return document.getElementById(x); };

  function act(promise, after) {
    Shop.showError(null);
    return promise.then(function (r) { if (after) after(r); refresh(); return r; }).catch(Shop.showError);
  }
  function post(path, body) { return act(Shop.call('POST', base + path, body)); }
  function has(role) { return view && view.yourRoles && view.yourRoles.indexOf(role) >= 0; }
  function btn(testid, text, onclick, secondary) {
    return el('button', { testid: testid, text: text, 'class': secondary ? 'secondary' : '', onclick: onclick });
  }
  function setText(x, t) { $(x).textContent = t == null ? '' : t; }

  function render(v) {
    view = v;
    setText('escrow-id', v.id); setText('escrow-rail', v.rail); setText('escrow-buyer', v.buyer); setText('escrow-seller', v.seller);
    $('escrow-status').textContent = v.status; $('escrow-status').className = 'status ' + v.status;
    setText('escrow-amount', fmt(v.amount)); setText('escrow-held', fmt(v.held));
    setText('escrow-fee', (v.fee.basisPoints / 100) + ' % paid by ' + v.fee.payer.toLowerCase());
    setText('escrow-reference', v.reference);
    renderFunding(v); renderWallet(v); renderSignatures(v); renderMilestones(v); renderBonds(v); renderDisputes(v);
  }

  function fundingInstruction(v) {
    return (v.pendingInstructions || []).filter(function (i) { return i.transferId === v.fundingTransfer; })[0];
  }

  function renderFunding(v) {
    var ins = v.status === 'AWAITING_FUNDING' ? fundingInstruction(v) : null;
    $('funding').hidden = !ins;
    var body = $('funding-body'); body.innerHTML = '';
    if (!ins) return;
    setText('funding-amount', fmt(ins.amount || v.fundingAmount));
    setText('funding-expires', ins.expiresAt ? '(pay before ' + new Date(ins.expiresAt).toLocaleString() + ')' : '');
    if (ins.type === 'PAY_INVOICE') {
      body.appendChild(el('p', { text: 'Scan with a Lightning wallet, or copy the invoice. The payment is held, not taken, until the escrow releases it.' }));
      body.appendChild(el('img', { 'class': 'qr', testid: 'funding-qr', alt: 'Lightning invoice QR code',
        src: 'api/shop/qr?text=' + encodeURIComponent('lightning:' + ins.paymentRequest) }));
      body.appendChild(el('pre', { testid: 'funding-bolt11', text: ins.paymentRequest }));
      body.appendChild(btn('funding-copy', 'Copy invoice', function () { navigator.clipboard && navigator.clipboard.writeText(ins.paymentRequest); }, true));
    } else if (ins.type === 'APPROVE_AT') {
      body.appendChild(el('p', { text: 'Approve the payment at your Open Payments wallet provider; you come back here afterwards.' }));
      body.appendChild(el('p', {}, [el('a', { href: ins.url, testid: 'funding-consent-link', target: '_blank', rel: 'noopener', text: 'Approve at your wallet →' })]));
    } else if (ins.type === 'SIGN_TRANSACTION') {
      body.appendChild(el('p', { text: 'Sign this Stellar transaction with your wallet and submit it to the network.' }));
      body.appendChild(el('p', { 'class': 'muted' }, ['Network: ', el('span', { testid: 'funding-stellar-network', text: ins.network || '' })]));
      body.appendChild(el('pre', { testid: 'funding-stellar-xdr', text: ins.transaction }));
    } else {
      body.appendChild(el('pre', { text: JSON.stringify(ins, null, 2) }));
    }
  }

  function renderWallet(v) {
    var panel = $('wallet-panel');
    panel.hidden = !me.simulated || !(has('BUYER') || has('SELLER'));
    if (panel.hidden) return;
    var ins = fundingInstruction(v);
    var bondWaiting = (v.bonds || []).some(function (b) {
      return b.status === 'REQUESTED' && b.partyId === me.user && (v.pendingInstructions || []).some(function (i) { return i.transferId === b.fundingTransfer; });
    });
    $('wallet-fund').disabled = !((v.status === 'AWAITING_FUNDING' && ins && has('BUYER')) || bondWaiting);
    panel.querySelector('.who').textContent = me.user;
    $('wallet-decline').hidden = !(ins && ins.type === 'APPROVE_AT' && has('BUYER'));
    $('wallet-cosign').disabled = mySignatures(v).length === 0;
    loadBalances();
  }

  function loadBalances() {
    if (!me.simulated || !view) return;
    Shop.call('GET', 'api/shop/wallet/balances').then(function (rows) {
      var tb = $('wallet-balances'); tb.innerHTML = '';
      rows.filter(function (r) { return r.rail === view.rail && (r.party === view.buyer || r.party === view.seller); }).forEach(function (r) {
        tb.appendChild(el('tr', {}, [el('td', { text: r.party + (r.party === view.seller ? ' (seller)' : ' (buyer)') }),
          el('td', { testid: 'wallet-balance-' + r.party + '-' + r.rail, 'data-minor': String(r.minor), text: fmt(r) })]));
      });
    }).catch(Shop.showError);
  }

  function mySignatures(v) {
    var myRoles = v.yourRoles || [];
    var fundings = [v.fundingTransfer].concat((v.bonds || []).map(function (b) { return b.fundingTransfer; }));
    return (v.pendingInstructions || []).filter(function (i) {
      return i.type === 'SIGN_TRANSACTION' && fundings.indexOf(i.transferId) < 0 && myRoles.indexOf(i.party) >= 0;
    });
  }

  function renderSignatures(v) {
    var list = mySignatures(v);
    $('signatures').hidden = list.length === 0;
    var body = $('signatures-body'); body.innerHTML = '';
    list.forEach(function (i) {
      body.appendChild(el('div', { testid: 'pending-signature', 'data-transfer': i.transferId }, [
        el('p', { text: 'Payout ' + i.transferId + ' needs your co-signature (Stellar multisig). Sign it in your wallet, or use the simulated wallet above.' }),
        el('pre', { text: i.transaction })]));
    });
  }

  function renderMilestones(v) {
    var tb = $('milestones'); tb.innerHTML = '';
    var sel = $('dispute-milestone'); var keep = sel.value; sel.innerHTML = '';
    sel.appendChild(el('option', { value: '', text: 'whole escrow' }));
    v.milestones.forEach(function (m) {
      sel.appendChild(el('option', { value: m.id, text: m.id + ' ' + (m.title || '') }));
      var q = '?milestone=' + encodeURIComponent(m.id);
      var actions = el('td');
      if (has('SELLER') && m.status === 'FUNDED') actions.appendChild(btn('milestone-' + m.id + '-deliver', 'Mark delivered', function () { post('/delivered' + q); }));
      if (has('BUYER') && m.status === 'DELIVERED') actions.appendChild(btn('milestone-' + m.id + '-accept', 'Accept', function () { post('/accept' + q); }));
      if (has('BUYER') && (m.status === 'FUNDED' || m.status === 'DELIVERED')) actions.appendChild(btn('milestone-' + m.id + '-release', 'Release now', function () { post('/release' + q); }, true));
      if (has('SELLER') && (m.status === 'FUNDED' || m.status === 'DELIVERED')) actions.appendChild(btn('milestone-' + m.id + '-refund', 'Refund buyer', function () { post('/refund', { milestone: m.id, reason: 'refunded by the seller' }); }, true));
      if ((has('BUYER') || has('SELLER')) && (m.status === 'FUNDED' || m.status === 'DELIVERED')) actions.appendChild(btn('milestone-' + m.id + '-dispute', 'Dispute', function () {
        sel.value = m.id; $('dispute-reason').focus();
      }, true));
      var paid = [];
      if (m.released && m.released.minor) paid.push('released ' + fmt(m.released));
      if (m.refunded && m.refunded.minor) paid.push('refunded ' + fmt(m.refunded));
      tb.appendChild(el('tr', { testid: 'milestone-' + m.id }, [
        el('td', {}, [el('b', { text: m.id }), ' ', m.title || '']),
        el('td', { testid: 'milestone-' + m.id + '-amount', text: fmt(m.amount) }),
        el('td', {}, [Shop.status(m.status, 'milestone-' + m.id + '-status'), el('div', { 'class': 'muted', text: paid.join(', ') + (m.autoReleaseAt ? ' auto-release ' + new Date(m.autoReleaseAt).toLocaleString() : '') })]),
        el('td', { 'class': 'muted', text: m.deliverBy ? new Date(m.deliverBy).toLocaleString() : '' }),
        actions]));
    });
    if (keep) sel.value = keep;
  }

  function renderBonds(v) {
    $('bonds-section').hidden = !(v.bonds && v.bonds.length);
    var tb = $('bonds'); tb.innerHTML = '';
    (v.bonds || []).forEach(function (b, n) {
      tb.appendChild(el('tr', { testid: 'bond-' + n }, [el('td', { text: b.party.toLowerCase() + ' ' + b.partyId }), el('td', { text: fmt(b.amount) }),
        el('td', {}, [Shop.status(b.status, 'bond-' + n + '-status')]), el('td', { 'class': 'muted', text: b.reason || '' })]));
    });
  }

  function activeDispute(v) {
    return (v.disputes || []).filter(function (d) { return d.status !== 'RESOLVED'; })[0];
  }

  function outcomeText(o) {
    if (!o) return '';
    if (o.kind === 'SPLIT_AMOUNT') return 'split: ' + fmt(o.toSeller) + ' to the seller, the rest to the buyer';
    if (o.kind === 'SPLIT_BASIS_POINTS') return 'split: ' + (o.toSellerBasisPoints / 100) + ' % to the seller';
    return o.kind === 'RELEASE' ? 'release to the seller' : 'refund to the buyer';
  }

  function outcomeForm(prefix, withReason, submitText, onSubmit) {
    var kind = el('select', { testid: prefix + '-kind' }, ['RELEASE', 'REFUND', 'SPLIT_AMOUNT'].map(function (k) { return el('option', { value: k, text: k }); }));
    var amount = el('input', { testid: prefix + '-amount', type: 'number', min: '1', placeholder: 'to the seller, minor units (' + view.amount.asset + ' scale ' + view.amount.scale + ')' });
    var reason = withReason ? el('textarea', { testid: prefix + '-reason', placeholder: 'reason' }) : null;
    var f = el('form', { testid: prefix + '-form', 'class': 'card' }, [el('label', {}, ['Outcome ', kind]), el('label', {}, ['Split amount to the seller ', amount]),
      reason ? el('label', {}, ['Reason ', reason]) : null, el('button', { type: 'submit', testid: prefix + '-submit', text: submitText })]);
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      var o = { kind: kind.value };
      if (kind.value === 'SPLIT_AMOUNT') o.toSellerMinor = Number(amount.value);
      onSubmit(o, reason ? reason.value : null);
    });
    return f;
  }

  function renderDisputes(v) {
    var open = activeDispute(v);
    var party = has('BUYER') || has('SELLER');
    var disputable = v.milestones.some(function (m) { return m.status === 'FUNDED' || m.status === 'DELIVERED'; });
    $('dispute-form').hidden = !(party && !open && disputable);
    var box = $('disputes'); box.innerHTML = '';
    var latest = (v.disputes || []).length ? v.disputes[v.disputes.length - 1] : null;
    if (latest) {
      box.appendChild(el('p', {}, ['Latest dispute: ', Shop.status(latest.status, 'dispute-status'), ' arbiter ',
        el('b', { testid: 'dispute-arbiter', text: latest.arbiter || '' })]));
    }
    (v.disputes || []).forEach(function (d, n) {
      var dbase = '/disputes/' + encodeURIComponent(d.id);
      var sec = el('section', { 'class': 'card', testid: 'dispute-' + n, 'data-dispute-id': d.id }, [
        el('h3', {}, ['Dispute ', el('span', { 'class': 'mono', text: d.id }), ' ', Shop.status(d.status)]),
        el('p', {}, ['Opened by ' + d.openedBy.party + ' (' + d.openedBy.role.toLowerCase() + ') on ' + (d.milestones || []).join(', ') + ': ', el('i', { text: d.reason })]),
        el('p', { 'class': 'muted', text: 'Respond by ' + new Date(d.deadline).toLocaleString() + (d.arbiter ? ' · arbiter ' + d.arbiter : '') })]);
      var ev = el('ul', { 'class': 'history' });
      (d.evidence || []).forEach(function (e) {
        ev.appendChild(el('li', { testid: 'evidence-item' }, [el('b', { text: e.actor.party + ': ' }), e.statement || '',
          el('span', {}, (e.attachments || []).map(function (a) {
            return el('a', { testid: 'evidence-attachment', href: base + dbase + '/attachments/' + a.sha256, target: '_blank', text: ' [' + a.mediaType + ', ' + a.size + ' bytes]' });
          }))]));
      });
      (d.messages || []).forEach(function (m) { ev.appendChild(el('li', { text: m.actor.party + ' says: ' + m.text })); });
      sec.appendChild(ev);
      if (d.resolution) {
        sec.appendChild(el('p', {}, ['Resolved (' + d.resolution.tier + '): ', el('b', { testid: 'dispute-resolution', text: outcomeText(d.resolution.outcome) }),
          d.resolution.reason ? ' — ' + d.resolution.reason : '']));
      } else if (d.decision) {
        sec.appendChild(el('p', { text: 'Decided: ' + outcomeText(d.decision.outcome) + ' — ' + d.decision.reason }));
      }
      (d.openOffers || []).forEach(function (o) {
        var row = el('p', { testid: 'offer-' + o.offer }, ['Offer #' + o.offer + ' by ' + o.actor.party + ': ' + outcomeText(o.outcome) + ' ']);
        if (party && o.actor.party !== me.user && d.status === 'OPEN') row.appendChild(btn('offer-' + o.offer + '-accept', 'Accept offer', function () { post(dbase + '/offers/' + o.offer + '/accept'); }));
        sec.appendChild(row);
      });
      if (d.status === 'OPEN' && party) {
        var statement = el('textarea', { testid: 'evidence-statement', placeholder: 'your statement' });
        var file = el('input', { type: 'file', testid: 'evidence-file' });
        var submit = btn('evidence-submit', 'Submit evidence', function () {
          Shop.showError(null);
          var f = file.files[0];
          var upload = f ? f.arrayBuffer().then(function (buf) {
            return Shop.call('POST', base + dbase + '/attachments', undefined, { raw: buf, contentType: f.type || 'application/octet-stream', filename: f.name });
          }) : Promise.resolve(null);
          act(upload.then(function (u) {
            var body = { statement: statement.value || null, attachments: u ? [{ reference: u.reference, mediaType: u.mediaType, size: u.size, sha256: u.sha256 }] : [] };
            return Shop.call('POST', base + dbase + '/evidence', body);
          }));
        });
        sec.appendChild(el('div', { 'class': 'card' }, [el('h3', { text: 'Evidence' }), statement, file, submit]));
        sec.appendChild(el('h3', { text: 'Propose a settlement' }));
        sec.appendChild(outcomeForm('offer', false, 'Propose', function (o) { post(dbase + '/offers', { outcome: o }); }));
        sec.appendChild(btn('dispute-escalate', 'Escalate to the arbiter', function () { post(dbase + '/escalate'); }, true));
      }
      if (me.arbiter && d.status === 'ARBITRATION' && (!d.arbiter || d.arbiter === me.user)) {
        sec.appendChild(el('h3', { text: 'Arbiter decision' }));
        sec.appendChild(outcomeForm('decision', true, 'Decide', function (o, reason) { post(dbase + '/decision', { outcome: o, reason: reason }); }));
      }
      box.appendChild(sec);
    });
  }

  function describe(e) {
    var d = e.data || {};
    var bits = [];
    ['milestone', 'amount', 'status', 'outcome', 'reason', 'arbiter', 'kind'].forEach(function (k) {
      if (d[k] != null && typeof d[k] !== 'object') bits.push(k + ' ' + d[k]);
      else if (d[k] && d[k].minor != null) bits.push(k + ' ' + fmt(d[k]));
    });
    return bits.join(', ');
  }

  function loadHistory() {
    return Shop.call('GET', base + '/history').then(function (events) {
      var ul = $('history'); ul.innerHTML = '';
      events.slice().reverse().forEach(function (e) {
        ul.appendChild(el('li', { testid: 'history-item', 'data-type': e.type }, [el('span', { 'class': 'muted', text: new Date(e.at).toLocaleTimeString() + ' ' }),
          el('b', { text: e.type }), ' ', describe(e)]));
      });
    });
  }

  var pending = null;
  function refresh() {
    if (pending) return pending;
    pending = Promise.all([Shop.call('GET', base).then(render), loadHistory()])
      .catch(Shop.showError).then(function () { pending = null; });
    return pending;
  }

  $('dispute-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var m = $('dispute-milestone').value;
    post('/disputes', { milestone: m || null, reason: $('dispute-reason').value });
  });
  function wallet(action) {
    Shop.showError(null);
    $('wallet-result').textContent = 'working…';
    Shop.call('POST', 'api/shop/wallet/escrows/' + encodeURIComponent(id) + '/' + action).then(function (r) {
      $('wallet-result').textContent = r.text; refresh(); setTimeout(loadBalances, 1500);
    }).catch(function (e) { $('wallet-result').textContent = ''; Shop.showError(e); });
  }
  $('wallet-fund').addEventListener('click', function () { wallet('fund'); });
  $('wallet-decline').addEventListener('click', function () { wallet('decline'); });
  $('wallet-cosign').addEventListener('click', function () { wallet('cosign'); });

  Shop.page(null, function (m) {
    me = m;
    return refresh().then(function () {
      Shop.live(id, function () { refresh(); setTimeout(loadBalances, 800); });
    });
  });
})();
