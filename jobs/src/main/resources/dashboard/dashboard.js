// Haitao Pulse dashboard: fetches the page's JSON every 2 s and renders it.
// Every piece of data goes into the DOM through createElement/textContent, never as markup:
// campaign names, channels and reasons come from outside and must stay text.
'use strict';
(function () {
  const body = document.body;
  const page = body.dataset.page;
  const L = JSON.parse(body.dataset.labels);
  const SVG = 'http://www.w3.org/2000/svg';
  let charts = [];
  let last = null;
  let renders = 0;

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) e.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  // Numbers as the tests compute them: toFixed, without a minus on zero.
  function fixed(v, digits) {
    if (v === null || v === undefined) return '–';
    const s = Number(v).toFixed(digits);
    return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
  }
  const int = (v) => (v === null || v === undefined ? '–' : String(v));
  const pct = (v) => (v === null || v === undefined ? '–' : fixed(v * 100, 1) + '%');
  const yuan = (cents) => (cents === null || cents === undefined ? '–' : fixed(cents / 100, 2));
  const utc = (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

  // columns: [{key, label, cell(row) -> text or Node, num}]
  function table(id, columns, rows, rowKey) {
    if (!rows.length) return el('p', { class: 'empty', id: id }, L.empty);
    const head = el('tr', {}, ...columns.map((c) => el('th', { class: c.num ? 'num' : null }, L[c.label] || c.label)));
    const bodyRows = rows.map((r) => el('tr', { 'data-key': rowKey(r) },
      ...columns.map((c) => el('td', { 'data-col': c.key, class: c.num ? 'num' : null }, c.cell(r)))));
    return el('table', { id: id }, el('thead', {}, head), el('tbody', {}, ...bodyRows));
  }

  function sparkline(points) {
    const canvas = el('canvas', { width: 160, height: 36, class: 'spark' });
    if (!points || !points.length || typeof Chart === 'undefined') return canvas;
    charts.push(new Chart(canvas, {
      type: 'line',
      data: {
        labels: points.map((p) => utc(p.window_end)),
        datasets: [
          { label: L.views, data: points.map((p) => p.views), borderColor: '#c0392b', borderWidth: 1.5, pointRadius: 0 },
          { label: L.baseline, data: points.map((p) => p.baseline), borderColor: '#7f8c8d', borderWidth: 1,
            borderDash: [3, 3], pointRadius: 0 },
        ],
      },
      options: {
        animation: false, responsive: false, events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
      },
    }));
    return canvas;
  }

  // Lift with its fixed-sample CI (dark) inside the always-valid CI (light), zero marked.
  function ciBar(r) {
    const w = 160, h = 22;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', w);
    svg.setAttribute('height', h);
    svg.setAttribute('class', 'ci-bar');
    const vals = [r.ci_low, r.ci_high, r.anytime_ci_low, r.anytime_ci_high, r.lift_abs, 0].filter((v) => v !== null && v !== undefined);
    const lo = Math.min(...vals), hi = Math.max(...vals);
    const x = (v) => (hi === lo ? w / 2 : 4 + ((v - lo) / (hi - lo)) * (w - 8));
    const rect = (a, b, y, height, cls) => {
      if (a === null || a === undefined || b === null || b === undefined) return;
      const e = document.createElementNS(SVG, 'rect');
      e.setAttribute('x', x(a));
      e.setAttribute('y', y);
      e.setAttribute('width', Math.max(1, x(b) - x(a)));
      e.setAttribute('height', height);
      e.setAttribute('class', cls);
      svg.appendChild(e);
    };
    rect(r.anytime_ci_low, r.anytime_ci_high, 4, 14, 'anytime');
    rect(r.ci_low, r.ci_high, 8, 6, 'fixed');
    rect(0, 0, 0, h, 'zero');
    if (r.lift_abs !== null && r.lift_abs !== undefined) rect(r.lift_abs, r.lift_abs, 2, 18, 'lift');
    return svg;
  }

  function range(lo, hi) {
    return el('span', { class: 'range' }, el('span', { class: 'lo' }, fixed(lo, 4)), ' … ', el('span', { class: 'hi' }, fixed(hi, 4)));
  }

  function move(r) {
    let kind, text;
    if (r.previous_rank === null || r.previous_rank === undefined) {
      kind = 'new'; text = '★ ' + L['move.new'];
    } else if (r.previous_rank > r.rank) {
      kind = 'up'; text = '▲ ' + (r.previous_rank - r.rank);
    } else if (r.previous_rank < r.rank) {
      kind = 'down'; text = '▼ ' + (r.rank - r.previous_rank);
    } else {
      kind = 'same'; text = '=';
    }
    return el('span', { class: 'move ' + kind, 'data-move': kind, title: L['move.' + kind] }, text);
  }

  const render = {
    trending(d, main) {
      main.appendChild(el('h3', {}, L['trending.items']));
      main.appendChild(table('trending-items', [
        { key: 'item_id', label: 'item', cell: (r) => int(r.item_id) },
        { key: 'category_id', label: 'category', cell: (r) => int(r.category_id) },
        { key: 'views', label: 'views', num: true, cell: (r) => int(r.views) },
        { key: 'baseline', label: 'baseline', num: true, cell: (r) => fixed(r.baseline, 1) },
        { key: 'ratio', label: 'ratio', num: true, cell: (r) => fixed(r.ratio, 2) },
        { key: 'z', label: 'z', num: true, cell: (r) => fixed(r.z, 2) },
        { key: 'trend', label: 'trend', cell: (r) => sparkline(d.item_history[String(r.item_id)]) },
      ], d.items, (r) => r.item_id));
      main.appendChild(el('h3', {}, L['trending.categories']));
      main.appendChild(table('trending-categories', [
        { key: 'category_id', label: 'category', cell: (r) => int(r.category_id) },
        { key: 'views', label: 'views', num: true, cell: (r) => int(r.views) },
        { key: 'active_items', label: 'active_items', num: true, cell: (r) => int(r.active_items) },
        { key: 'ratio', label: 'ratio', num: true, cell: (r) => fixed(r.ratio, 2) },
        { key: 'trending_items', label: 'trending_items', num: true, cell: (r) => int(r.trending_items) },
        { key: 'trend', label: 'trend', cell: (r) => sparkline(d.category_history[String(r.category_id)]) },
      ], d.categories, (r) => r.category_id));
    },

    hot(d, main) {
      const scopes = [];
      for (const r of d.items) if (!scopes.includes(r.scope)) scopes.push(r.scope);
      if (!scopes.length) main.appendChild(el('p', { class: 'empty' }, L.empty));
      for (const scope of scopes) {
        const section = el('section', { class: 'scope', 'data-scope': scope },
          el('h3', {}, scope === 'all' ? L['scope.all'] : L.category + ' ' + scope));
        section.appendChild(table('hot-' + scopes.indexOf(scope), [
          { key: 'rank', label: 'rank', num: true, cell: (r) => int(r.rank) },
          { key: 'item_id', label: 'item', cell: (r) => int(r.item_id) },
          { key: 'views', label: 'views', num: true, cell: (r) => int(r.views) },
          { key: 'move', label: 'move', cell: move },
        ], d.items.filter((r) => r.scope === scope), (r) => r.item_id));
        main.appendChild(section);
      }
    },

    campaigns(d, main) {
      main.appendChild(el('h3', {}, L.scoreboard));
      main.appendChild(table('scoreboard', [
        { key: 'campaign_id', label: 'campaign', cell: (r) => r.campaign_id },
        { key: 'metric', label: 'metric', cell: (r) => r.metric },
        { key: 'n', label: 'n', num: true, cell: (r) => int(r.n_treatment) + ' / ' + int(r.n_control) },
        { key: 'lift_abs', label: 'lift', num: true, cell: (r) => fixed(r.lift_abs, 4) },
        { key: 'ci', label: 'ci', num: true, cell: (r) => range(r.ci_low, r.ci_high) },
        { key: 'anytime_ci', label: 'anytime_ci', num: true, cell: (r) => range(r.anytime_ci_low, r.anytime_ci_high) },
        { key: 'ci_bar', label: 'ci_bar', cell: ciBar },
        { key: 'srm', label: 'srm', cell: (r) => (r.srm_warning
          ? el('span', { class: 'srm-warning', 'data-srm': 'warning' }, '⚠ ' + L['srm.warning'])
          : el('span', { class: 'srm-ok', 'data-srm': 'ok' }, L['srm.ok'])) },
        { key: 'incremental_revenue', label: 'incremental_revenue', num: true, cell: (r) => yuan(r.incremental_revenue_cents) },
      ], d.scoreboard, (r) => r.campaign_id + '|' + r.metric));
      main.appendChild(el('h3', {}, L.did));
      main.appendChild(table('did', [
        { key: 'campaign_id', label: 'campaign', cell: (r) => r.campaign_id },
        { key: 'method', label: 'method', cell: (r) => r.method },
        { key: 'lift_rel', label: 'lift_rel', num: true, cell: (r) => pct(r.lift_rel) },
        { key: 'ci', label: 'ci', num: true, cell: (r) => range(r.ci_low, r.ci_high) },
        { key: 'incremental_gmv', label: 'incremental_gmv', num: true, cell: (r) => yuan(r.incremental_gmv_cents) },
      ], d.did, (r) => r.campaign_id));
      main.appendChild(el('h3', {}, L.channels));
      main.appendChild(table('channels', [
        { key: 'channel', label: 'channel', cell: (r) => r.channel },
        { key: 'campaign_id', label: 'campaign', cell: (r) => r.campaign_id },
        { key: 'sessions', label: 'sessions', num: true, cell: (r) => int(r.sessions) },
        { key: 'orders', label: 'orders', num: true, cell: (r) => int(r.orders) },
        { key: 'gmv', label: 'gmv', num: true, cell: (r) => yuan(r.gmv_cents) },
        { key: 'new_users', label: 'new_users', num: true, cell: (r) => int(r.new_users) },
      ], d.channels, (r) => r.channel + '|' + r.campaign_id));
    },

    sourcing(d, main) {
      main.appendChild(el('p', {}, el('a', { id: 'export', href: '/export/sourcing.csv', download: 'sourcing-shortlist.csv' }, L.export)));
      main.appendChild(table('shortlist', [
        { key: 'category_id', label: 'category', cell: (r) => int(r.category_id) },
        { key: 'rank', label: 'rank', num: true, cell: (r) => int(r.rank) },
        { key: 'item_id', label: 'item', cell: (r) => int(r.item_id) },
        { key: 'score', label: 'score', num: true, cell: (r) => fixed(r.score, 2) },
        { key: 'forecast', label: 'forecast', num: true, cell: (r) => fixed(r.forecast_daily_units, 2) },
        { key: 'conversion', label: 'conversion', num: true, cell: (r) => pct(r.conversion_rate) },
        { key: 'rating', label: 'rating', num: true, cell: (r) => fixed(r.avg_rating, 1) },
        { key: 'return_rate', label: 'return_rate', num: true, cell: (r) => pct(r.return_rate) },
        { key: 'complaint_rate', label: 'complaint_rate', num: true, cell: (r) => pct(r.complaint_rate) },
        { key: 'order_units', label: 'order_units', num: true, cell: (r) => int(r.recommended_order_units) },
        { key: 'reasons', label: 'reasons', cell: (r) => el('ul', { class: 'reasons' }, ...r.reasons.map((x) => el('li', {}, x))) },
      ], d.shortlist, (r) => r.category_id + '|' + r.rank));
    },
  };

  function hourlyChart(points) {
    const canvas = el('canvas', { id: 'traffic-chart', width: 720, height: 220 });
    if (!points.length || typeof Chart === 'undefined') return canvas;
    charts.push(new Chart(canvas, {
      type: 'line',
      data: {
        labels: points.map((p) => utc(p.window_start)),
        datasets: [
          { label: L.pv, data: points.map((p) => p.pv), borderColor: '#c0392b', borderWidth: 1.5, pointRadius: 0, yAxisID: 'pv' },
          { label: L.uv, data: points.map((p) => p.uv), borderColor: '#2c7fb8', borderWidth: 1.5, pointRadius: 0, yAxisID: 'uv',
            // A HyperLogLog estimate is drawn dashed.
            segment: { borderDash: (ctx) => (points[ctx.p1DataIndex].uv_exact ? undefined : [4, 3]) } },
        ],
      },
      options: {
        animation: false, responsive: false,
        scales: { x: { ticks: { maxTicksLimit: 8 } }, pv: { position: 'left', beginAtZero: true }, uv: { position: 'right', beginAtZero: true } },
      },
    }));
    return canvas;
  }

  render.traffic = function (d, main) {
    main.appendChild(el('h3', {}, L['traffic.now']));
    main.appendChild(table('traffic-now', [
      { key: 'dimension', label: 'dimension', cell: (r) => r.dimension },
      { key: 'value', label: 'value', cell: (r) => r.value },
      { key: 'pv', label: 'pv', num: true, cell: (r) => int(r.pv) },
      { key: 'uv', label: 'uv', num: true, cell: (r) => int(r.uv) },
    ], d.now, (r) => r.dimension + '|' + r.value));
    main.appendChild(el('h3', {}, L['traffic.hourly']));
    main.appendChild(hourlyChart(d.hourly));
    if (d.hourly.some((p) => !p.uv_exact)) main.appendChild(el('p', { class: 'note' }, L['uv.estimate']));
    main.appendChild(el('h3', {}, L.funnel));
    main.appendChild(table('funnel', [
      { key: 'category_id', label: 'category', cell: (r) => int(r.category_id) },
      { key: 'viewers', label: 'viewers', num: true, cell: (r) => int(r.viewers) },
      { key: 'carters', label: 'carters', num: true, cell: (r) => int(r.carters) },
      { key: 'orderers', label: 'orderers', num: true, cell: (r) => int(r.orderers) },
      { key: 'payers', label: 'payers', num: true, cell: (r) => int(r.payers) },
      { key: 'view_to_cart', label: 'view_to_cart', num: true, cell: (r) => pct(r.view_to_cart) },
      { key: 'cart_to_order', label: 'cart_to_order', num: true, cell: (r) => pct(r.cart_to_order) },
      { key: 'order_to_paid', label: 'order_to_paid', num: true, cell: (r) => pct(r.order_to_paid) },
    ], d.funnel, (r) => r.category_id));
    main.appendChild(el('h3', {}, L.unpaid));
    main.appendChild(table('unpaid', [
      { key: 'hour', label: 'hour', cell: (r) => utc(r.hour_start) },
      { key: 'timed_out', label: 'timed_out', num: true, cell: (r) => int(r.timed_out) },
      { key: 'paid_late', label: 'paid_late', num: true, cell: (r) => int(r.paid_late) },
    ], d.unpaid, (r) => r.hour_start));
    main.appendChild(el('h3', {}, L.bots));
    main.appendChild(table('bots', [
      { key: 'hour', label: 'hour', cell: (r) => utc(r.hour_start) },
      { key: 'rule', label: 'rule', cell: (r) => r.rule },
      { key: 'clicks', label: 'clicks', num: true, cell: (r) => int(r.clicks) },
      { key: 'users', label: 'users', num: true, cell: (r) => int(r.users) },
    ], d.bots, (r) => r.hour_start + '|' + r.rule));
  };

  function freshness(f) {
    const p = document.getElementById('freshness');
    p.className = 'freshness';
    if (!f || f.newest === null || f.newest === undefined) {
      p.textContent = L['freshness.none'];
      return;
    }
    const minutes = Math.max(0, Math.round(f.age_seconds / 60));
    const [n, unit] = minutes < 120 ? [minutes, 'min'] : minutes < 2880 ? [Math.round(minutes / 60), 'h'] : [Math.round(minutes / 1440), 'd'];
    p.textContent = L.freshness + ': ' + utc(f.newest) + ' (' + L['freshness.age.' + unit].replace('{n}', String(n)) + ')';
  }

  async function refresh() {
    try {
      const response = await fetch('/api/' + page, { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const data = await response.json();
      freshness(data.freshness);
      // The freshness age moves every second; the tables only when their rows do. Re-rendering
      // only then keeps the page still under the reader's eyes (and their selection).
      const key = JSON.stringify(Object.assign({}, data, { freshness: null }));
      if (key === last) return;
      last = key;
      charts.forEach((c) => c.destroy());
      charts = [];
      const main = document.getElementById('content');
      main.replaceChildren(el('h2', {}, L['page.' + page]));
      render[page](data, main);
      body.setAttribute('data-rendered', String(++renders));
    } catch (e) {
      const p = document.getElementById('freshness');
      p.className = 'freshness error';
      p.textContent = L.error + ' (' + e.message + ')';
    }
  }

  refresh();
  setInterval(refresh, 2000);
})();
