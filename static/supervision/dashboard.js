/* 监督看板 charts (ECharts). The numbers come from the page's JSON
 * (#dashboard-data, the same dict the tables below each chart are rendered from);
 * the words from #dashboard-labels. Clicking a rule opens its case list, clicking
 * a court drills down to it. Without JavaScript the tables carry everything. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function json(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function link(base, params) {
    var query = Object.keys(params)
      .filter(function (k) { return params[k] !== "" && params[k] !== null && params[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); })
      .join("&");
    return query ? base + "?" + query : base;
  }

  // ¥ amounts as every page prints them (core.money.money_text): 1,234,567.89
  var MONEY = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true });
  function money(value) {
    var n = Number(value);
    return value === null || value === undefined || value === "" || isNaN(n) ? String(value == null ? "" : value) : MONEY.format(n);
  }

  var COLORS = { overdue: "#c53030", due_soon: "#b7791f", open: "#2b6cb0", paused: "#9aa5b1", raised: "#c05621", resolved: "#1f7a4d" };

  function chart(id) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = window.echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  function empty(c, labels) {
    c.setOption({ title: { text: labels.no_data, left: "center", top: "middle", textStyle: { color: "#9aa5b1", fontSize: 14, fontWeight: "normal" } } });
  }

  ready(function () {
    var root = document.getElementById("supervision-dashboard");
    var data = json("dashboard-data");
    var labels = json("dashboard-labels") || {};
    if (!root || !data || !window.echarts) return;
    var court = root.dataset.court || "";
    var clocksUrl = root.dataset.clocksUrl;
    var dashboardUrl = root.dataset.dashboardUrl;

    // 1. Clocks by rule and state (stacked bars); a click opens that rule's list.
    var rules = chart("chart-rules");
    if (rules) {
      if (!data.rules.length) empty(rules, labels);
      else {
        var names = data.rules.map(function (r) { return r.name; });
        var series = ["overdue", "due_soon", "open", "paused"].map(function (key) {
          return {
            name: labels[key], type: "bar", stack: "clocks", itemStyle: { color: COLORS[key] },
            emphasis: { focus: "series" },
            data: data.rules.map(function (r) {
              var value = key === "open" ? Math.max(0, r.open - r.overdue - r.due_soon) : r[key];
              return { value: value, rule: r.code, status: key };
            })
          };
        });
        rules.setOption({
          aria: { enabled: true },
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          legend: { top: 0 },
          grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
          xAxis: { type: "value" },
          yAxis: { type: "category", data: names, inverse: true },
          series: series
        });
        rules.on("click", function (p) {
          if (!p.data || !p.data.rule) return;
          window.location.href = link(clocksUrl, { rule: p.data.rule, status: p.data.status, court: court });
        });
      }
    }

    // 2. Breach rate per court; a click drills down to the court.
    var courts = chart("chart-courts");
    if (courts) {
      var rows = data.courts.filter(function (c) { return c.met + c.breached > 0 || !c.is_self; });
      if (!rows.length) empty(courts, labels);
      else {
        courts.setOption({
          aria: { enabled: true },
          tooltip: {
            trigger: "axis", axisPointer: { type: "shadow" },
            formatter: function (items) {
              var c = rows[items[0].dataIndex];
              var pct = c.breach_rate === null ? "—" : (c.breach_rate * 100).toFixed(1) + "%";
              return c.name + "<br>" + labels.breach_rate + "：" + pct + "<br>" + labels.met + "：" + c.met + "　" + labels.breached + "：" + c.breached;
            }
          },
          grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: rows.map(function (c) { return c.is_self ? c.name + "（" + labels.self + "）" : c.name; }), axisLabel: { interval: 0, rotate: rows.length > 6 ? 35 : 0 } },
          yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
          series: [{
            name: labels.breach_rate, type: "bar", itemStyle: { color: COLORS.overdue },
            data: rows.map(function (c) { return { value: c.breach_rate === null ? 0 : +(c.breach_rate * 100).toFixed(1), code: c.code, self: c.is_self }; })
          }]
        });
        courts.on("click", function (p) {
          if (!p.data || p.data.self) return;
          window.location.href = link(dashboardUrl, { court: p.data.code });
        });
      }
    }

    // 3. Alerts raised and resolved per day.
    var trend = chart("chart-trend");
    if (trend) {
      trend.setOption({
        aria: { enabled: true },
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.trend.map(function (d) { return d.date.slice(5); }) },
        yAxis: { type: "value", minInterval: 1 },
        series: ["raised", "resolved"].map(function (key) {
          return { name: labels[key], type: "line", smooth: true, itemStyle: { color: COLORS[key] }, data: data.trend.map(function (d) { return d[key]; }) };
        })
      });
    }

    // 4. Unidentified receipts by age.
    var receipts = chart("chart-receipts");
    if (receipts) {
      var buckets = data.unidentified_receipts.buckets;
      receipts.setOption({
        aria: { enabled: true },
        tooltip: { trigger: "axis", formatter: function (items) { var b = buckets[items[0].dataIndex]; return b.label + "<br>" + labels.count + "：" + b.count + "<br>" + labels.amount + "：" + money(b.amount); } },
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: buckets.map(function (b) { return b.label; }) },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: labels.count, type: "bar", itemStyle: { color: COLORS.due_soon }, data: buckets.map(function (b) { return b.count; }) }]
      });
    }
  });
})();
