// The live page's script: reads /api/* every few seconds and renders the headline KPIs, four
// charts and the open alerts. Periods ("this week", ...) come from /api/meta, computed by the
// server in the job's zone, so the page agrees with the tables whatever the browser's zone is.
// Rates are ratios of sums (CONTRACT.md), computed from one row's columns, never averaged.
'use strict';

(function () {
  const REFRESH_MS = 5000;
  const TREND_POINTS = 12;
  const MAX_ALERT_LINES = 20;

  const TEXT = {
    zh: {
      title: '兴安盟实时指标',
      motto: '一周一调度 · 半月一督查 · 一月一通报',
      area: '地区',
      league: '全盟',
      trend: '图表周期',
      by_week: '按周',
      by_half_month: '按半月',
      by_month: '按月',
      lang: 'English',
      service: '政务服务',
      market: '早晚市与零工市场',
      project: '重大项目建设',
      week: '本周',
      half_month: '本半月',
      month: '本月',
      rolling: '滚动',
      final: '已定',
      no_data: '暂无数据',
      completed: '办结件数',
      on_time: '按时办结率',
      online: '网办率',
      zero_visit: '零跑腿率',
      satisfaction: '满意率',
      hours: '平均办理时长',
      accepted: '受理件数',
      occupancy: '摊位使用率',
      markets: '上报市场数',
      status: '营业 / 改造 / 关闭',
      peak: '摊位使用峰值',
      workers: '零工登记人数',
      jobs: '零工匹配岗位',
      investment: '本期完成投资（亿元）',
      ytd: '年度累计投资（亿元）',
      plan: '年度计划投资（亿元）',
      of_plan: '年度计划完成率',
      projects: '项目数',
      reporting: '报送项目数',
      milestones: '开工 / 竣工',
      progress: '平均形象进度',
      hour_unit: ' 小时',
      chart_service: '按时办结率与网办率',
      chart_market: '各类市场摊位使用率',
      chart_project: '各地区投资完成与年度计划',
      chart_alerts: '各地区未解除预警',
      note_market: '全盟，',
      note_project: '{year}年，单位：亿元',
      note_alerts: '全盟各地区，按严重程度',
      note_service: '最近{n}期',
      s_on_time: '按时办结率',
      s_online: '网办率',
      s_plan: '年度计划',
      s_ytd: '累计完成',
      open_alerts: '未解除预警',
      count: '{n} 条，其中严重 {c} 条',
      none: '没有未解除的预警',
      more: '另有 {n} 条：SELECT * FROM project_alerts_open',
      h_severity: '级别',
      h_rule: '规则',
      h_area: '地区',
      h_project: '项目与情况',
      h_since: '开始',
      warning: '预警',
      critical: '严重',
      start_overdue: '逾期未开工',
      no_report: '未按时报送',
      behind_plan: '投资进度滞后',
      updated: '更新于 {t}，每 {s} 秒刷新',
      failed: '数据暂时无法读取：{e}（显示的是上次的数据）',
      footer: '数据来自 ClickHouse 表 kpi_service、kpi_market、kpi_project、project_alerts（FINAL 读取）。' +
        '日期按 {zone} 时区计算：周为周一至周日，半月为 1–15 日与 16 日至月末。',
      night: '夜市',
      morning: '早市',
      morning_evening: '早晚市',
      farmers: '农贸市场',
      gig: '零工市场'
    },
    en: {
      title: "Xing'an League live KPIs",
      motto: 'Dispatch every week · inspect every half month · publish every month',
      area: 'Area',
      league: 'Whole League',
      trend: 'Charts by',
      by_week: 'week',
      by_half_month: 'half month',
      by_month: 'month',
      lang: '中文',
      service: 'Government services',
      market: 'Markets and gig work',
      project: 'Major projects',
      week: 'This week',
      half_month: 'This half month',
      month: 'This month',
      rolling: 'rolling',
      final: 'final',
      no_data: 'no data yet',
      completed: 'Completed',
      on_time: 'On-time rate',
      online: 'Online share',
      zero_visit: 'Zero-visit share',
      satisfaction: 'Satisfied',
      hours: 'Mean processing time',
      accepted: 'Accepted',
      occupancy: 'Stall occupancy',
      markets: 'Markets reporting',
      status: 'Operating / upgrading / closed',
      peak: 'Peak stalls occupied',
      workers: 'Gig workers registered',
      jobs: 'Gig jobs matched',
      investment: 'Invested in period (100 M yuan)',
      ytd: 'Invested this year (100 M yuan)',
      plan: 'Planned this year (100 M yuan)',
      of_plan: 'Of annual plan',
      projects: 'Projects',
      reporting: 'Projects reporting',
      milestones: 'Started / completed',
      progress: 'Mean progress',
      hour_unit: ' h',
      chart_service: 'On-time rate and online share',
      chart_market: 'Stall occupancy by market type',
      chart_project: 'Investment against plan by area',
      chart_alerts: 'Open alerts by area',
      note_market: 'Whole League, ',
      note_project: '{year}, in 100 million yuan (亿元)',
      note_alerts: 'All areas, by severity',
      note_service: 'last {n} periods',
      s_on_time: 'On-time rate',
      s_online: 'Online share',
      s_plan: 'Annual plan',
      s_ytd: 'Invested so far',
      open_alerts: 'Open alerts',
      count: '{n}, of which {c} critical',
      none: 'No open alerts',
      more: '{n} more: SELECT * FROM project_alerts_open',
      h_severity: 'Severity',
      h_rule: 'Rule',
      h_area: 'Area',
      h_project: 'Project and numbers',
      h_since: 'Since',
      warning: 'warning',
      critical: 'critical',
      start_overdue: 'start overdue',
      no_report: 'no report',
      behind_plan: 'behind plan',
      updated: 'Updated {t}; refreshed every {s} s',
      failed: 'Data cannot be read right now: {e} (showing the last data)',
      footer: 'Data from the ClickHouse tables kpi_service, kpi_market, kpi_project and ' +
        'project_alerts, read FINAL. Dates are local to {zone}: ISO weeks Monday to Sunday, ' +
        'half months the 1st–15th and the 16th–last day.',
      night: 'night',
      morning: 'morning',
      morning_evening: 'morning & evening',
      farmers: "farmers'",
      gig: 'gig work'
    }
  };

  // Short area names for chart axes; the selector shows the full names from /api/meta.
  const SHORT = {
    ulanhot: ['乌兰浩特', 'Ulanhot'],
    arxan: ['阿尔山', 'Arxan'],
    'horqin-right-front': ['科右前旗', 'Horqin RF'],
    'horqin-right-middle': ['科右中旗', 'Horqin RM'],
    jalaid: ['扎赉特旗', 'Jalaid'],
    tuquan: ['突泉县', 'Tuquan'],
    'dev-zone': ['开发区', 'Dev. zone'],
    reclamation: ['农垦集团', 'Reclamation']
  };

  const PERIODS = ['week', 'half_month', 'month'];
  const n0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  const n1 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const n2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  const num = (v) => Number(v || 0);
  const int = (v) => n0.format(num(v));
  const pct = (part, whole) => (num(whole) > 0 ? n1.format((100 * num(part)) / num(whole)) + '%' : '–');
  const yi = (yuan) => n2.format(num(yuan) / 1e8);
  const ratio = (part, whole) => (num(whole) > 0 ? (100 * num(part)) / num(whole) : null);

  // Each headline row: [key, value of one kpi_* row]. The first row is the card's big number.
  const HEADLINES = {
    service: [
      ['completed', (r) => int(r.completed)],
      ['on_time', (r) => pct(r.completed_on_time, r.completed)],
      ['online', (r) => pct(r.completed_online, r.completed)],
      ['zero_visit', (r) => pct(r.completed_zero_visit, r.completed)],
      ['satisfaction', (r) => pct(r.satisfaction_positive, r.satisfaction_responses)],
      ['hours', (r) => (num(r.completed) > 0
        ? n1.format(num(r.processing_hours_sum) / num(r.completed)) + t('hour_unit') : '–')],
      ['accepted', (r) => int(r.accepted)]
    ],
    market: [
      ['occupancy', (r) => pct(r.stalls_occupied_sum, r.stalls_total_sum)],
      ['markets', (r) => int(r.markets_reporting)],
      ['status', (r) => [r.markets_operating, r.markets_upgrading, r.markets_closed].map(int).join(' / ')],
      ['peak', (r) => int(r.stalls_occupied_peak)],
      ['workers', (r) => int(r.workers_registered_latest)],
      ['jobs', (r) => int(r.jobs_matched)]
    ],
    project: [
      ['investment', (r) => yi(r.investment_cny)],
      ['ytd', (r) => yi(r.investment_ytd_cny)],
      ['plan', (r) => yi(r.planned_year_cny)],
      ['of_plan', (r) => pct(r.investment_ytd_cny, r.planned_year_cny)],
      ['projects', (r) => int(r.projects)],
      ['reporting', (r) => int(r.projects_reporting)],
      ['milestones', (r) => int(r.started) + ' / ' + int(r.completed)],
      ['progress', (r) => n1.format(num(r.progress_pct_avg)) + '%']
    ]
  };

  const query = new URLSearchParams(location.search);
  const state = {
    lang: query.get('lang') === 'en' ? 'en' : 'zh',
    area: query.get('area') || '',
    trend: PERIODS.includes(query.get('period')) ? query.get('period') : 'week',
    meta: null,
    data: null,
    error: null,
    updated: null,
    timer: null
  };
  const charts = {};

  function t(key, args) {
    let s = TEXT[state.lang][key];
    if (s === undefined) {
      s = key;
    }
    for (const [k, v] of Object.entries(args || {})) {
      s = s.replace('{' + k + '}', v);
    }
    return s;
  }

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') {
        e.textContent = v;
      } else if (k === 'cls') {
        e.className = v;
      } else {
        e.setAttribute(k, v);
      }
    }
    for (const c of children || []) {
      e.appendChild(c);
    }
    return e;
  }

  async function api(path, params) {
    const url = path + (params ? '?' + new URLSearchParams(params) : '');
    const response = await fetch(url, { cache: 'no-store' });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(body.error || 'HTTP ' + response.status);
    }
    return body;
  }

  function scope() {
    return state.area ? { scope: 'county', scope_key: state.area } : { scope: 'league' };
  }

  async function load() {
    const meta = await api('/api/meta');
    const p = meta.periods;
    const headline = (table, period) =>
      api('/api/kpi/' + table, Object.assign({ period: period, period_start: p[period].start, limit: 1 }, scope()))
        .then((rows) => rows[0] || null);
    const jobs = {};
    for (const table of Object.keys(HEADLINES)) {
      for (const period of PERIODS) {
        jobs[table + '.' + period] = headline(table, period);
      }
    }
    jobs.trend = api('/api/kpi/service', Object.assign({ period: state.trend, limit: TREND_POINTS }, scope()));
    jobs.types = api('/api/kpi/market', { period: state.trend, scope: 'market_type', period_start: p[state.trend].start });
    jobs.areas = api('/api/kpi/project', { period: 'year', scope: 'county', period_start: p.year.start });
    jobs.alerts = api('/api/alerts', { status: 'open', limit: 1000 });
    const keys = Object.keys(jobs);
    const values = await Promise.all(keys.map((k) => jobs[k]));
    const data = {};
    keys.forEach((k, i) => { data[k] = values[i]; });
    return { meta: meta, data: data };
  }

  // A newer refresh (a selector changed) makes an older one's answer stale: it is dropped, and
  // only the newest schedules the next round, so there is one timer at a time.
  let round = 0;

  async function refresh() {
    const mine = ++round;
    clearTimeout(state.timer);
    try {
      const result = await load();
      if (mine !== round) {
        return;
      }
      state.meta = result.meta;
      state.data = result.data;
      state.error = null;
      state.updated = new Date();
    } catch (e) {
      if (mine !== round) {
        return;
      }
      state.error = e.message;
    }
    render();
    state.timer = setTimeout(refresh, REFRESH_MS);
  }

  function render() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title');
    for (const e of document.querySelectorAll('[data-i18n]')) {
      e.textContent = t(e.getAttribute('data-i18n'));
    }
    document.getElementById('lang').textContent = t('lang');
    renderStatus();
    if (!state.meta) {
      return;
    }
    document.getElementById('today').textContent = state.meta.today + ' (' + state.meta.zone + ')';
    document.querySelector('footer').textContent = t('footer', { zone: state.meta.zone });
    renderAreas();
    for (const table of Object.keys(HEADLINES)) {
      renderHeadline(table);
    }
    renderTrend();
    renderTypes();
    renderInvestment();
    renderAlertChart();
    renderAlerts();
  }

  function renderStatus() {
    const status = document.getElementById('status');
    if (state.error) {
      status.className = 'status error';
      status.textContent = t('failed', { e: state.error });
    } else if (state.updated) {
      status.className = 'status';
      status.textContent = t('updated', {
        t: state.updated.toLocaleTimeString('en-GB'),
        s: REFRESH_MS / 1000
      });
    }
  }

  function areaName(code, short) {
    if (short && SHORT[code]) {
      return SHORT[code][state.lang === 'zh' ? 0 : 1];
    }
    const a = state.meta.areas.find((x) => x.code === code);
    return a ? a[state.lang] : code;
  }

  function renderAreas() {
    const select = document.getElementById('area');
    select.replaceChildren(el('option', { value: '', text: t('league') }));
    for (const a of state.meta.areas) {
      select.appendChild(el('option', { value: a.code, text: a[state.lang] }));
    }
    select.value = state.area;
    document.getElementById('period').value = state.trend;
  }

  function range(period) {
    const p = state.meta.periods[period];
    return p.start.slice(5) + ' – ' + p.end.slice(5);
  }

  function renderHeadline(table) {
    const head = el('tr', {}, [el('th')]);
    for (const period of PERIODS) {
      const row = state.data[table + '.' + period];
      const cell = el('th', {}, [
        el('span', { text: t(period) }),
        el('span', { cls: 'range', text: range(period) })
      ]);
      if (row) {
        cell.appendChild(el('span', {
          cls: 'state' + (row.is_final ? ' final' : ''),
          text: t(row.is_final ? 'final' : 'rolling')
        }));
      }
      head.appendChild(cell);
    }
    const body = el('tbody');
    for (const [key, value] of HEADLINES[table]) {
      const tr = el('tr', {}, [el('th', { text: t(key) })]);
      for (const period of PERIODS) {
        const row = state.data[table + '.' + period];
        tr.appendChild(el('td', {
          'data-kpi': table + '.' + key,
          'data-period': period,
          cls: row ? '' : 'none',
          text: row ? value(row) : '–'
        }));
      }
      body.appendChild(tr);
    }
    document.getElementById('kpi-' + table).replaceChildren(el('thead', {}, [head]), body);
  }

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(document.getElementById(id));
    }
    return charts[id];
  }

  // Shown in a chart's middle while it has nothing to draw.
  function empty(hasData) {
    return {
      show: !hasData, text: t('no_data'), left: 'center', top: 'middle',
      textStyle: { color: '#9aa4b2', fontSize: 14, fontWeight: 'normal' }
    };
  }

  const GRID = { left: 48, right: 16, top: 36, bottom: 28, containLabel: true };
  const pctAxis = { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } };
  const pctTip = (v) => (v === null || v === undefined ? '–' : n1.format(v) + '%');

  function renderTrend() {
    const rows = state.data.trend.slice().reverse();
    document.getElementById('note-service').textContent =
      (state.area ? areaName(state.area) : t('league')) + (state.lang === 'zh' ? '，' : ', ') +
      t('note_service', { n: rows.length });
    chart('chart-service').setOption({
      title: empty(rows.length > 0),
      color: ['#1e6fd9', '#8e5ce6'],
      grid: GRID,
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: pctTip },
      xAxis: { type: 'category', data: rows.map((r) => r.period_start.slice(5)) },
      yAxis: pctAxis,
      series: [
        { name: t('s_on_time'), type: 'line', smooth: true, symbolSize: 6,
          data: rows.map((r) => ratio(r.completed_on_time, r.completed)) },
        { name: t('s_online'), type: 'line', smooth: true, symbolSize: 6,
          data: rows.map((r) => ratio(r.completed_online, r.completed)) }
      ]
    });
  }

  function renderTypes() {
    const byType = {};
    for (const r of state.data.types) {
      byType[r.scope_key] = r;
    }
    const types = state.meta.market_types.filter((k) => byType[k]);
    document.getElementById('note-market').textContent = t('note_market') + t(state.trend) + ' ' + range(state.trend);
    chart('chart-market').setOption({
      title: empty(types.length > 0),
      color: ['#12a37f'],
      grid: GRID,
      tooltip: { trigger: 'axis', valueFormatter: pctTip },
      xAxis: { type: 'category', data: types.map((k) => t(k)), axisLabel: { interval: 0 } },
      yAxis: pctAxis,
      series: [{
        name: t('occupancy'), type: 'bar', barMaxWidth: 48,
        label: { show: true, position: 'top', formatter: (p) => pctTip(p.value) },
        data: types.map((k) => ratio(byType[k].stalls_occupied_sum, byType[k].stalls_total_sum))
      }]
    });
  }

  function renderInvestment() {
    const byArea = {};
    for (const r of state.data.areas) {
      byArea[r.scope_key] = r;
    }
    const areas = state.meta.areas.map((a) => a.code).filter((c) => byArea[c]);
    const dim = (c) => (state.area && c !== state.area ? 0.35 : 1);
    document.getElementById('note-project').textContent =
      t('note_project', { year: state.meta.periods.year.start.slice(0, 4) });
    chart('chart-project').setOption({
      title: empty(areas.length > 0),
      color: ['#c9d3e0', '#e07b18'],
      grid: GRID,
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => n2.format(v) },
      xAxis: { type: 'category', data: areas.map((c) => areaName(c, true)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value' },
      series: [
        { name: t('s_plan'), type: 'bar', barGap: '-100%', barMaxWidth: 40,
          label: { show: true, position: 'top', fontSize: 11, color: '#5a6578',
            formatter: (p) => pct(byArea[areas[p.dataIndex]].investment_ytd_cny, byArea[areas[p.dataIndex]].planned_year_cny) },
          data: areas.map((c) => ({ value: num(byArea[c].planned_year_cny) / 1e8, itemStyle: { opacity: dim(c) } })) },
        { name: t('s_ytd'), type: 'bar', barMaxWidth: 40,
          data: areas.map((c) => ({ value: num(byArea[c].investment_ytd_cny) / 1e8, itemStyle: { opacity: dim(c) } })) }
      ]
    });
  }

  function renderAlertChart() {
    const codes = state.meta.areas.map((a) => a.code);
    const count = (severity) => codes.map((c) => ({
      value: state.data.alerts.filter((a) => a.county === c && a.severity === severity).length,
      itemStyle: { opacity: state.area && c !== state.area ? 0.35 : 1 }
    }));
    document.getElementById('note-alerts').textContent = t('note_alerts');
    chart('chart-alerts').setOption({
      color: ['#f0a020', '#d64040'],
      grid: GRID,
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: codes.map((c) => areaName(c, true)), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('warning'), type: 'bar', stack: 'alerts', barMaxWidth: 40, data: count('warning') },
        { name: t('critical'), type: 'bar', stack: 'alerts', barMaxWidth: 40, data: count('critical') }
      ]
    });
  }

  function renderAlerts() {
    const open = state.data.alerts
      .filter((a) => !state.area || a.county === state.area)
      .sort((a, b) => (b.severity === 'critical') - (a.severity === 'critical') ||
        a.opened_at.localeCompare(b.opened_at) || a.alert_id.localeCompare(b.alert_id));
    const critical = open.filter((a) => a.severity === 'critical').length;
    document.getElementById('alert-count').textContent = t('count', { n: int(open.length), c: int(critical) });
    const head = el('tr', {}, ['h_severity', 'h_rule', 'h_area', 'h_since', 'h_project']
      .map((k) => el('th', { text: t(k) })));
    const body = el('tbody');
    if (open.length === 0) {
      body.appendChild(el('tr', {}, [el('td', { colspan: 5, cls: 'empty', text: t('none') })]));
    }
    for (const a of open.slice(0, MAX_ALERT_LINES)) {
      // The detail starts with the project's name, shown just above it.
      const detail = a.detail.startsWith(a.project_name) ? a.detail.slice(a.project_name.length).trim() : a.detail;
      body.appendChild(el('tr', { 'data-alert': a.alert_id }, [
        el('td', {}, [el('span', { cls: 'badge ' + a.severity, text: t(a.severity) })]),
        el('td', { cls: 'nowrap', text: t(a.rule) }),
        el('td', { cls: 'nowrap', text: areaName(a.county, true) }),
        el('td', { cls: 'nowrap', text: a.opened_at.slice(0, 10) }),
        el('td', {}, [
          el('div', { cls: 'project', text: a.project_name }),
          el('div', { cls: 'detail', text: detail })
        ])
      ]));
    }
    if (open.length > MAX_ALERT_LINES) {
      body.appendChild(el('tr', {}, [el('td', { colspan: 5, cls: 'more', text: t('more', { n: open.length - MAX_ALERT_LINES }) })]));
    }
    document.getElementById('alerts').replaceChildren(el('thead', {}, [head]), body);
  }

  function remember() {
    const q = new URLSearchParams();
    if (state.area) {
      q.set('area', state.area);
    }
    if (state.trend !== 'week') {
      q.set('period', state.trend);
    }
    if (state.lang !== 'zh') {
      q.set('lang', state.lang);
    }
    history.replaceState(null, '', q.toString() ? '?' + q : location.pathname);
  }

  document.getElementById('area').addEventListener('change', (e) => {
    state.area = e.target.value;
    remember();
    refresh();
  });
  document.getElementById('period').addEventListener('change', (e) => {
    state.trend = e.target.value;
    remember();
    refresh();
  });
  document.getElementById('lang').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    remember();
    render();
  });
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
  render();
  refresh();
})();
