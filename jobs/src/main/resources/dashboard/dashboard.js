// Haitao Pulse dashboard: fetches the page's JSON every 2 s and renders it.
// Every piece of data goes into the DOM through createElement/textContent, never as markup:
// campaign names, channels and reasons come from outside and must stay text.
'use strict';
(function () {
  const body = document.body;
  const page = body.dataset.page;
  const lang = body.dataset.lang;
  const L = JSON.parse(body.dataset.labels);
  // The shop's offset from UTC: every time on the page is shown in it, labelled by TZ.
  const TZ_OFFSET_MS = Number(body.dataset.tzOffset) * 1000;
  const TZ = body.dataset.tz;
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
  const missing = (v) => v === null || v === undefined;
  const int = (v) => (missing(v) ? '–' : String(v));
  // Digits grouped by thousands with commas, whatever the browser's locale (the tests read exact text).
  const grouped = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // A count: 12,345.
  const count = (v) => (missing(v) ? '–' : (v < 0 ? '-' : '') + grouped(String(Math.abs(v))));
  const pct = (v) => (missing(v) ? '–' : fixed(v * 100, 1) + '%');
  // A change: with its sign, + or -, none on zero.
  const signed = (text) => (/^[0.,]+$/.test(text) ? text : text.startsWith('-') ? text : '+' + text);
  // Money, from cents (fen): per user in yuan with two decimals (¥12.34), totals in whole yuan
  // with thousands separators (¥12,346); with sign when it is a change.
  function yuan(cents, total, change) {
    if (missing(cents)) return '–';
    const v = cents / 100;
    const digits = total ? grouped(fixed(Math.abs(v), 0)) : fixed(Math.abs(v), 2);
    const zero = /^[0.,]+$/.test(digits);
    const sign = zero ? '' : v < 0 ? '-' : change ? '+' : '';
    return sign + '¥' + digits;
  }
  // Conversion differences in percentage points, relative ones in percent, both with sign.
  const pp = (v) => (missing(v) ? '–' : signed(fixed(v * 100, 1)) + ' pp');
  const relPct = (v) => (missing(v) ? '–' : signed(fixed(v * 100, 1)) + '%');
  // A time in shop time, e.g. 2026-11-03 14:05; labelled: 2026-11-03 14:05 (UTC+08:00).
  const shopTime = (ms) => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
  const labelled = (ms) => shopTime(ms) + ' (' + TZ + ')';

  // A catalogue name with its id small beside it (people search by either); the id alone when
  // the catalogue has no record.
  function named(name, id) {
    if (missing(id)) return '–';
    if (missing(name) || name === '') return el('span', { class: 'named' }, el('span', { class: 'name' }, String(id)));
    return el('span', { class: 'named' }, el('span', { class: 'name' }, name), ' ', el('small', { class: 'id' }, String(id)));
  }
  function campaign(r) {
    return r.campaign_id === '' ? el('span', { class: 'named' }, L['campaign.none']) : named(r.campaign_name, r.campaign_id);
  }
  const kind = (k) => (missing(k) ? '–' : L['kind.' + k] || k);

  // columns: [{key, label, cell(row) -> text or Node, num}]; empty: the label key shown without rows.
  function table(id, columns, rows, rowKey, empty) {
    if (!rows.length) return el('p', { class: 'empty', id: id }, L[empty || 'empty']);
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
        labels: points.map((p) => shopTime(p.window_end)),
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
    const w = 100, h = 22;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', w);
    svg.setAttribute('height', h);
    svg.setAttribute('class', 'ci-bar');
    const vals = [r.ci_low, r.ci_high, r.anytime_ci_low, r.anytime_ci_high, r.cuped_ci_low, r.cuped_ci_high, r.lift_abs, 0]
      .filter((v) => v !== null && v !== undefined);
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
    // The CUPED interval as a thin line under the fixed one: narrower when the pre-period explains a lot.
    rect(r.cuped_ci_low, r.cuped_ci_high, 15, 2, 'cuped');
    rect(0, 0, 0, h, 'zero');
    if (r.lift_abs !== null && r.lift_abs !== undefined) rect(r.lift_abs, r.lift_abs, 2, 18, 'lift');
    return svg;
  }

  // Two values that may wrap between them, never inside one: an interval (-0.5 pp … +4.1 pp) or a
  // move from control to treatment (3.2% → 5.0%).
  function pair(a, b, sep) {
    return el('span', { class: 'range' }, el('span', { class: 'lo' }, a), sep, el('span', { class: 'hi' }, b));
  }
  const range = (lo, hi, format) => pair(format(lo), format(hi), ' … ');

  // The unit of a scoreboard metric: conversion is a rate (differences in pp), the others money per user.
  const isRate = (r) => r.metric === 'conversion';
  const level = (r, v) => (isRate(r) ? pct(v) : yuan(v, false, false));
  const change = (r, v) => (isRate(r) ? pp(v) : yuan(v, false, true));

  // A value that is missing: "–", with a tooltip saying why (one of the why.* labels).
  const na = (why) => el('span', { class: 'na', title: L[why], 'data-why': why }, '–');
  // Why a statistic of scoreboard row r is missing: no control group, too few users, or (for the
  // Bayesian reading, undefined while a mean or variance is 0) no variation yet; CUPED is computed
  // from two users per arm on, so a row without it predates it.
  function why(r, cuped) {
    if (missing(r.n_control) || r.n_control === 0) return 'why.no_control';
    if (r.n_treatment < 2 || r.n_control < 2) return 'why.few_users';
    return cuped ? 'why.cuped' : 'why.no_variation';
  }
  // Probabilities in percent with one decimal; never a certain-looking 100.0% or 0.0%.
  function chance(v) {
    const s = fixed(v * 100, 1);
    return s === '100.0' ? '>99.9%' : s === '0.0' ? '<0.1%' : s + '%';
  }
  // Risk, a relative expected loss, in percent of the control mean with two decimals.
  function riskPct(v) {
    const s = fixed(v * 100, 2);
    return s === '0.00' && v > 0 ? '<0.01%' : s + '%';
  }
  const guardrail = (r) => r.metric === 'returns_per_user';

  function metricCell(r) {
    const cell = el('span', { class: 'metric' }, el('span', { class: 'metric-name' }, L['metric.' + r.metric] || r.metric));
    if (!guardrail(r)) return cell;
    cell.appendChild(el('small', { class: 'guardrail' }, L.guardrail));
    if (r.guardrail_warning) {
      cell.appendChild(el('span', { class: 'guardrail-warning', 'data-guardrail': 'warning', title: L['guardrail.warning'] },
        '⚠ ' + L['guardrail.warning.short']));
    }
    return cell;
  }

  // The CUPED interval, and beneath it how much of the lift's variance the adjustment removed.
  function cupedCell(r) {
    if (missing(r.cuped_ci_low) || missing(r.cuped_ci_high)) return na(why(r, true));
    const title = L['cuped.title'].replace('{c}', level(r, r.pre_mean_control)).replace('{t}', level(r, r.pre_mean_treatment));
    const cell = el('span', { class: 'cuped', title: title }, range(r.cuped_ci_low, r.cuped_ci_high, (v) => change(r, v)));
    if (!missing(r.variance_reduction)) {
      cell.appendChild(el('small', { class: 'variance', 'data-variance': r.variance_reduction },
        L['cuped.variance'].replace('{n}', signed(fixed(-r.variance_reduction * 100, 0)))));
    }
    return cell;
  }

  function chanceCell(r) {
    if (missing(r.chance_to_win)) return na(why(r, false));
    return el('span', { class: 'chance', title: L[guardrail(r) ? 'chance_to_win.title.returns' : 'chance_to_win.title'] },
      chance(r.chance_to_win));
  }

  // The risk of each choice, relative to the control mean; the tooltip gives it per user in the metric's unit.
  function riskCell(r) {
    const line = (arm) => {
      const v = r['risk_' + arm];
      const value = missing(v) ? na(why(r, false))
        : el('span', { class: 'value', title: L['risk.' + arm + '.title'].replace('{abs}', missing(r.mean_control) ? '–'
          : (isRate(r) ? fixed(v * r.mean_control * 100, 2) + ' pp' : yuan(v * r.mean_control, false, false))) }, riskPct(v));
      return el('span', { class: 'risk-line', 'data-risk': arm }, el('span', { class: 'choice' }, L['risk.' + arm]), ' ', value);
    };
    return el('span', { class: 'risk' }, line('treatment'), line('control'));
  }

  // Campaigns whose returns rose beyond noise, spelled out above the scoreboard.
  function guardrailWarnings(rows) {
    const hit = rows.filter((r) => guardrail(r) && r.guardrail_warning);
    if (!hit.length) return null;
    return el('div', { id: 'guardrail-warnings' }, ...hit.map((r) => el('p', { class: 'guardrail-banner', 'data-campaign': r.campaign_id },
      '⚠ ', campaign(r), ': ', L['guardrail.warning'])));
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

  // A duration from milliseconds, in whole minutes: 45 min, 2 h, 1 h 35 min.
  function duration(ms) {
    if (missing(ms)) return '–';
    const minutes = Math.max(0, Math.round(ms / 60000));
    const h = Math.floor(minutes / 60), m = minutes % 60;
    if (h === 0) return L['duration.min'].replace('{n}', String(m));
    return (m === 0 ? L['duration.h'] : L['duration.hmin'].replace('{m}', String(m))).replace('{h}', String(h));
  }
  // How far above its baseline an episode peaked: 4.2×.
  const times = (v) => (missing(v) ? '–' : fixed(v, 1) + '×');

  // Trend alerts: open episodes (new or ongoing), then those that ended lately, greyed.
  function alerts(d, main) {
    const section = el('section', { class: 'alerts' }, el('h3', {}, L.alerts));
    section.appendChild(table('trend-alerts', [
      { key: 'status', label: 'status',
        cell: (r) => el('span', { class: 'status ' + r.status, 'data-status': r.status }, L['status.' + r.status] || r.status) },
      { key: 'item', label: 'item', cell: (r) => named(r.item_name, r.item_id) },
      { key: 'category', label: 'category', cell: (r) => named(r.category_name, r.category_id) },
      { key: 'started', label: 'started', cell: (r) => shopTime(r.started_at) },
      { key: 'duration', label: 'duration', num: true, cell: (r) => duration(r.duration_ms) },
      { key: 'peak_ratio', label: 'peak_ratio', num: true, cell: (r) => times(r.peak_ratio) },
      { key: 'peak_views', label: 'peak_views', num: true, cell: (r) => count(r.peak_views) },
    ], d.alerts, (r) => r.item_id + '|' + r.started_at, 'alerts.none'));
    section.appendChild(el('h4', {}, L['alerts.ended']));
    const ended = table('trend-alerts-ended', [
      { key: 'item', label: 'item', cell: (r) => named(r.item_name, r.item_id) },
      { key: 'category', label: 'category', cell: (r) => named(r.category_name, r.category_id) },
      { key: 'started', label: 'started', cell: (r) => shopTime(r.started_at) },
      { key: 'ended', label: 'ended', cell: (r) => shopTime(r.ended_at) },
      { key: 'duration', label: 'duration', num: true, cell: (r) => duration(r.duration_ms) },
      { key: 'peak_ratio', label: 'peak_ratio', num: true, cell: (r) => times(r.peak_ratio) },
      { key: 'peak_views', label: 'peak_views', num: true, cell: (r) => count(r.peak_views) },
    ], d.ended_alerts, (r) => r.item_id + '|' + r.started_at, 'alerts.ended.none');
    ended.classList.add('ended');
    section.appendChild(ended);
    main.appendChild(section);
  }

  const render = {
    trending(d, main) {
      alerts(d, main);
      main.appendChild(el('h3', {}, L['trending.items']));
      main.appendChild(table('trending-items', [
        { key: 'item', label: 'item', cell: (r) => named(r.item_name, r.item_id) },
        { key: 'category', label: 'category', cell: (r) => named(r.category_name, r.category_id) },
        { key: 'views', label: 'views', num: true, cell: (r) => count(r.views) },
        { key: 'baseline', label: 'baseline', num: true, cell: (r) => fixed(r.baseline, 1) },
        { key: 'ratio', label: 'ratio', num: true, cell: (r) => fixed(r.ratio, 2) },
        { key: 'z', label: 'z', num: true, cell: (r) => fixed(r.z, 2) },
        { key: 'trend', label: 'trend', cell: (r) => sparkline(d.item_history[String(r.item_id)]) },
      ], d.items, (r) => r.item_id));
      main.appendChild(el('h3', {}, L['trending.categories']));
      main.appendChild(table('trending-categories', [
        { key: 'category', label: 'category', cell: (r) => named(r.category_name, r.category_id) },
        { key: 'views', label: 'views', num: true, cell: (r) => count(r.views) },
        { key: 'active_items', label: 'active_items', num: true, cell: (r) => count(r.active_items) },
        { key: 'ratio', label: 'ratio', num: true, cell: (r) => fixed(r.ratio, 2) },
        { key: 'trending_items', label: 'trending_items', num: true, cell: (r) => count(r.trending_items) },
        { key: 'trend', label: 'trend', cell: (r) => sparkline(d.category_history[String(r.category_id)]) },
      ], d.categories, (r) => r.category_id));
    },

    hot(d, main) {
      const scopes = [];
      for (const r of d.items) if (!scopes.includes(r.scope)) scopes.push(r.scope);
      if (!scopes.length) main.appendChild(el('p', { class: 'empty' }, L.empty));
      for (const scope of scopes) {
        const first = d.items.find((r) => r.scope === scope);
        const title = scope === 'all' ? L['scope.all']
          : missing(first.scope_name) ? L.category + ' ' + scope : named(first.scope_name, scope);
        const section = el('section', { class: 'scope', 'data-scope': scope }, el('h3', {}, title));
        section.appendChild(table('hot-' + scopes.indexOf(scope), [
          { key: 'rank', label: 'rank', num: true, cell: (r) => int(r.rank) },
          { key: 'item', label: 'item', cell: (r) => named(r.item_name, r.item_id) },
          { key: 'views', label: 'views', num: true, cell: (r) => count(r.views) },
          { key: 'move', label: 'move', cell: move },
        ], d.items.filter((r) => r.scope === scope), (r) => r.item_id));
        main.appendChild(section);
      }
    },

    campaigns(d, main) {
      main.appendChild(el('h3', {}, L.scoreboard));
      const warnings = guardrailWarnings(d.scoreboard);
      if (warnings) main.appendChild(warnings);
      main.appendChild(table('scoreboard', [
        { key: 'campaign', label: 'campaign', cell: campaign },
        { key: 'kind', label: 'kind', cell: (r) => kind(r.campaign_kind) },
        { key: 'metric', label: 'metric', cell: metricCell },
        { key: 'n', label: 'n', num: true, cell: (r) => pair(count(r.n_treatment), count(r.n_control), ' / ') },
        { key: 'means', label: 'means', num: true, cell: (r) => pair(level(r, r.mean_control), level(r, r.mean_treatment), ' → ') },
        { key: 'lift_abs', label: 'lift', num: true, cell: (r) => change(r, r.lift_abs) },
        { key: 'lift_rel', label: 'lift_rel', num: true, cell: (r) => relPct(r.lift_rel) },
        { key: 'ci', label: 'ci', num: true, cell: (r) => range(r.ci_low, r.ci_high, (v) => change(r, v)) },
        { key: 'cuped_ci', label: 'cuped_ci', num: true, cell: cupedCell },
        { key: 'anytime_ci', label: 'anytime_ci', num: true,
          cell: (r) => range(r.anytime_ci_low, r.anytime_ci_high, (v) => change(r, v)) },
        { key: 'ci_bar', label: 'ci_bar', cell: ciBar },
        { key: 'chance_to_win', label: 'chance_to_win', num: true, cell: chanceCell },
        { key: 'risk', label: 'risk', num: true, cell: riskCell },
        { key: 'srm', label: 'srm', cell: (r) => (r.srm_warning
          ? el('span', { class: 'srm-warning', 'data-srm': 'warning' }, '⚠ ' + L['srm.warning'])
          : el('span', { class: 'srm-ok', 'data-srm': 'ok' }, L['srm.ok'])) },
        { key: 'incremental_revenue', label: 'incremental_revenue', num: true,
          cell: (r) => yuan(r.incremental_revenue_cents, true, true) },
      ], d.scoreboard, (r) => r.campaign_id + '|' + r.metric));
      main.appendChild(el('h3', {}, L.did));
      main.appendChild(table('did', [
        { key: 'campaign', label: 'campaign', cell: campaign },
        { key: 'kind', label: 'kind', cell: (r) => kind(r.campaign_kind) },
        { key: 'method', label: 'method', cell: (r) => r.method },
        { key: 'lift_rel', label: 'lift_rel', num: true, cell: (r) => relPct(r.lift_rel) },
        { key: 'ci', label: 'ci', num: true, cell: (r) => range(r.ci_low, r.ci_high, relPct) },
        { key: 'incremental_gmv', label: 'incremental_gmv', num: true, cell: (r) => yuan(r.incremental_gmv_cents, true, true) },
      ], d.did, (r) => r.campaign_id));
      main.appendChild(el('h3', {}, L.channels));
      main.appendChild(table('channels', [
        { key: 'channel', label: 'channel', cell: (r) => r.channel },
        { key: 'campaign', label: 'campaign', cell: campaign },
        { key: 'sessions', label: 'sessions', num: true, cell: (r) => count(r.sessions) },
        { key: 'orders', label: 'orders', num: true, cell: (r) => count(r.orders) },
        { key: 'gmv', label: 'gmv', num: true, cell: (r) => yuan(r.gmv_cents, true, false) },
        { key: 'new_users', label: 'new_users', num: true, cell: (r) => count(r.new_users) },
      ], d.channels, (r) => r.channel + '|' + r.campaign_id));
    },

    sourcing(d, main) {
      const csv = '/export/sourcing.csv' + (lang === 'zh' ? '?lang=zh' : '');
      main.appendChild(el('p', {}, el('a', { id: 'export', href: csv, download: 'sourcing-shortlist.csv' }, L.export)));
      main.appendChild(table('shortlist', [
        { key: 'category', label: 'category', cell: (r) => named(r.category_name, r.category_id) },
        { key: 'rank', label: 'rank', num: true, cell: (r) => int(r.rank) },
        { key: 'item', label: 'item', cell: (r) => named(r.item_name, r.item_id) },
        { key: 'brand', label: 'brand', cell: (r) => (missing(r.brand) ? '–' : r.brand) },
        { key: 'origin', label: 'origin', cell: (r) => (missing(r.origin_country) ? '–' : r.origin_country) },
        { key: 'score', label: 'score', num: true, cell: (r) => fixed(r.score, 2) },
        { key: 'forecast', label: 'forecast', num: true, cell: (r) => fixed(r.forecast_daily_units, 2) },
        { key: 'conversion', label: 'conversion', num: true, cell: (r) => pct(r.conversion_rate) },
        { key: 'rating', label: 'rating', num: true, cell: (r) => fixed(r.avg_rating, 1) },
        { key: 'return_rate', label: 'return_rate', num: true, cell: (r) => pct(r.return_rate) },
        { key: 'complaint_rate', label: 'complaint_rate', num: true, cell: (r) => pct(r.complaint_rate) },
        { key: 'order_units', label: 'order_units', num: true, cell: (r) => count(r.recommended_order_units) },
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
        labels: points.map((p) => shopTime(p.window_start)),
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
      { key: 'pv', label: 'pv', num: true, cell: (r) => count(r.pv) },
      { key: 'uv', label: 'uv', num: true, cell: (r) => count(r.uv) },
    ], d.now, (r) => r.dimension + '|' + r.value));
    main.appendChild(el('h3', {}, L['traffic.hourly']));
    main.appendChild(hourlyChart(d.hourly));
    if (d.hourly.some((p) => !p.uv_exact)) main.appendChild(el('p', { class: 'note' }, L['uv.estimate']));
    main.appendChild(el('h3', {}, L.funnel));
    main.appendChild(table('funnel', [
      { key: 'category', label: 'category', cell: (r) => named(r.category_name, r.category_id) },
      { key: 'viewers', label: 'viewers', num: true, cell: (r) => count(r.viewers) },
      { key: 'carters', label: 'carters', num: true, cell: (r) => count(r.carters) },
      { key: 'orderers', label: 'orderers', num: true, cell: (r) => count(r.orderers) },
      { key: 'payers', label: 'payers', num: true, cell: (r) => count(r.payers) },
      { key: 'view_to_cart', label: 'view_to_cart', num: true, cell: (r) => pct(r.view_to_cart) },
      { key: 'cart_to_order', label: 'cart_to_order', num: true, cell: (r) => pct(r.cart_to_order) },
      { key: 'order_to_paid', label: 'order_to_paid', num: true, cell: (r) => pct(r.order_to_paid) },
    ], d.funnel, (r) => r.category_id));
    main.appendChild(el('h3', {}, L.unpaid));
    main.appendChild(table('unpaid', [
      { key: 'hour', label: 'hour', cell: (r) => shopTime(r.hour_start) },
      { key: 'timed_out', label: 'timed_out', num: true, cell: (r) => count(r.timed_out) },
      { key: 'paid_late', label: 'paid_late', num: true, cell: (r) => count(r.paid_late) },
    ], d.unpaid, (r) => r.hour_start));
    main.appendChild(el('h3', {}, L.bots));
    main.appendChild(table('bots', [
      { key: 'hour', label: 'hour', cell: (r) => shopTime(r.hour_start) },
      { key: 'rule', label: 'rule', cell: (r) => r.rule },
      { key: 'clicks', label: 'clicks', num: true, cell: (r) => count(r.clicks) },
      { key: 'users', label: 'users', num: true, cell: (r) => count(r.users) },
    ], d.bots, (r) => r.hour_start + '|' + r.rule));
  };

  function freshness(f) {
    const p = document.getElementById('freshness');
    p.className = 'freshness';
    if (!f || f.newest === null || f.newest === undefined) {
      p.textContent = L['freshness.none'];
      return;
    }
    if (f.simulated) {
      // Event time is simulated: how far the tables lag behind what was streamed, in shop time;
      // the wall clock says nothing about it.
      let text = L['freshness.sim'].replace('{t}', labelled(f.newest));
      if (!missing(f.behind_seconds)) text += L.sep + span(f.behind_seconds, 'freshness.behind.');
      p.textContent = text;
    } else {
      p.textContent = L['freshness.wall'].replace('{t}', labelled(f.newest)).replace('{age}', span(f.age_seconds, 'freshness.age.'));
    }
  }

  // A duration in the label family prefix: minutes up to 2 h, hours up to 2 days, then days.
  function span(seconds, prefix) {
    const minutes = Math.max(0, Math.round(seconds / 60));
    const [n, unit] = minutes < 120 ? [minutes, 'min'] : minutes < 2880 ? [Math.round(minutes / 60), 'h'] : [Math.round(minutes / 1440), 'd'];
    return L[prefix + unit].replace('{n}', String(n));
  }

  async function refresh() {
    try {
      const response = await fetch('/api/' + page + '?lang=' + lang, { cache: 'no-store' });
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
