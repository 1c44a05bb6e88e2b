// The command-centre dashboard (指挥中心): draws the trend and ranking charts with the
// vendored Chart.js from the data the page embeds (#command-data), and follows the court's
// live feed (server-sent events, `/command/courts/{id}/events`) to update the figures, the
// indicators, the alerts, the tables and the charts without reloading. The page is complete
// without this script: every figure is also in a table.
(function () {
  "use strict";
  var root = document.getElementById("command");
  var holder = document.getElementById("command-data");
  if (!root || !holder) { return; }
  var data;
  try { data = JSON.parse(holder.textContent); } catch (e) { return; }

  var COLORS = ["#a4161a", "#2846a3", "#1b7f3b", "#b7791f", "#6b3fa0", "#0f7c8c"];
  var trendChart = null;
  var rankingChart = null;

  var text = function (id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = value; }
  };
  var cell = function (row, value, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = value; }
    row.appendChild(td);
    return td;
  };
  var badge = function (meets) {
    var s = document.createElement("span");
    if (meets === true) { s.className = "badge met"; s.textContent = "达标"; }
    else if (meets === false) { s.className = "badge missed"; s.textContent = "未达标"; }
    else { s.className = "muted"; s.textContent = "—"; }
    return s;
  };
  // Keeps the header row of a server-rendered table and replaces the others.
  var rows = function (tableId, fill) {
    var table = document.getElementById(tableId);
    if (!table) { return; }
    var all = table.querySelectorAll("tr");
    var first = all.length ? all[0] : null;
    var body = first ? first.parentNode : (table.tBodies[0] || table);
    var keep = first && first.querySelector("th") ? 1 : 0;
    for (var i = keep; i < all.length; i++) { all[i].remove(); }
    fill(function () {
      var tr = document.createElement("tr");
      body.appendChild(tr);
      return tr;
    });
  };

  function drawCharts(d) {
    if (!window.Chart) { return; }
    var trendCanvas = document.getElementById("trend-chart");
    if (trendCanvas) {
      var lines = d.trend.series.map(function (s, i) {
        return {
          type: "line", label: s.name_zh, data: s.values, yAxisID: "rate",
          borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length],
          spanGaps: true, tension: 0.2, pointRadius: 3
        };
      });
      // Filed and closed counts as faint bars on their own axis: the volume behind the rates.
      lines.push({ type: "bar", label: "收案", data: d.trend.filed, yAxisID: "count",
                   backgroundColor: "rgba(102,112,133,0.25)" });
      lines.push({ type: "bar", label: "结案", data: d.trend.closed, yAxisID: "count",
                   backgroundColor: "rgba(40,70,163,0.25)" });
      if (trendChart) {
        trendChart.data.labels = d.trend.months;
        trendChart.data.datasets = lines;
        trendChart.update();
      } else {
        trendChart = new window.Chart(trendCanvas, {
          data: { labels: d.trend.months, datasets: lines },
          options: {
            responsive: true, maintainAspectRatio: false, animation: false,
            scales: {
              rate: { position: "left", min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } },
              count: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } }
            },
            plugins: { legend: { position: "bottom" } }
          }
        });
      }
    }
    var rankCanvas = document.getElementById("ranking-chart");
    if (rankCanvas) {
      var labels = d.ranking.courts.map(function (r) { return r.court.name; });
      var values = d.ranking.courts.map(function (r) { return r.value; });
      var colors = d.ranking.courts.map(function (r) {
        return r.meets_target === false ? "#a4161a" : (r.meets_target === true ? "#1b7f3b" : "#2846a3");
      });
      var set = { label: d.ranking.by_name, data: values, backgroundColor: colors };
      if (rankingChart) {
        rankingChart.data.labels = labels;
        rankingChart.data.datasets = [set];
        rankingChart.update();
      } else {
        rankingChart = new window.Chart(rankCanvas, {
          type: "bar",
          data: { labels: labels, datasets: [set] },
          options: {
            responsive: true, maintainAspectRatio: false, animation: false, indexAxis: "y",
            scales: { x: d.ranking.percent
              ? { min: 0, max: 100, ticks: { callback: function (v) { return v + "%"; } } }
              : { beginAtZero: true } },
            plugins: { legend: { display: false } },
            // A bar is a way down as well as the court's name in the table.
            onClick: function (evt, elements) {
              if (!elements.length) { return; }
              var r = d.ranking.courts[elements[0].index];
              if (r) { window.location.href = "/command/courts/" + encodeURIComponent(r.court.id) + window.location.search; }
            }
          }
        });
      }
    }
    root.setAttribute("data-charts", "drawn");
  }

  function apply(d) {
    data = d;
    d.figures.forEach(function (f) { text("count-" + f.key, f.display); });
    d.indicators.forEach(function (i) {
      var row = document.getElementById("ind-" + i.key);
      if (!row) { return; }
      var frac = row.querySelector(".frac");
      if (frac) { frac.textContent = i.numerator + " / " + i.denominator; }
      var value = row.querySelector(".value");
      if (value) { value.textContent = i.display; }
      var b = row.querySelector(".status .badge");
      if (b) { b.className = "badge " + i.status_class; b.textContent = i.status; }
    });
    rows("alert-table", function (add) {
      d.alerts.forEach(function (a) {
        var tr = add();
        tr.setAttribute("data-kind", a.kind);
        // Each count opens the list behind it (/alerts), as the server-rendered rows do.
        var href = "/alerts?court=" + encodeURIComponent(d.court.id) + "&kind=" + encodeURIComponent(a.kind);
        var name = document.createElement("a");
        name.className = "alert-list";
        name.href = href;
        name.textContent = a.name_zh;
        cell(tr, name);
        var count = document.createElement("a");
        count.href = href;
        count.textContent = String(a.count);
        cell(tr, count, "num count");
      });
    });
    var none = document.getElementById("no-alerts");
    if (none) { none.hidden = d.alerts.length > 0; }
    rows("ranking-table", function (add) {
      d.ranking.courts.forEach(function (r, n) {
        var tr = add();
        tr.setAttribute("data-court", r.court.id);
        cell(tr, String(n + 1), "num");
        var a = document.createElement("a");
        a.className = "drill";
        a.href = "/command/courts/" + encodeURIComponent(r.court.id) + window.location.search;
        a.textContent = r.court.name;
        cell(tr, a);
        cell(tr, String(r.filed), "num");
        cell(tr, String(r.closed), "num");
        cell(tr, r.display, "num value");
        cell(tr, badge(r.meets_target));
      });
    });
    rows("trend-table", function (add) {
      d.trend.months.forEach(function (m, k) {
        var tr = add();
        cell(tr, m);
        cell(tr, String(d.trend.filed[k]), "num");
        cell(tr, String(d.trend.closed[k]), "num");
        d.trend.series.forEach(function (s) {
          var v = s.values[k];
          cell(tr, v === null || v === undefined ? "—" : v.toFixed(2) + "%", "num");
        });
      });
    });
    drawCharts(d);
  }

  drawCharts(data);

  if (!window.EventSource) { return; }
  var status = document.getElementById("live-status");
  var source = new EventSource("/command/courts/" + encodeURIComponent(data.court.id) + "/events" + window.location.search);
  source.addEventListener("open", function () {
    root.setAttribute("data-live", "yes");
    if (status) { status.textContent = "实时更新已连接"; }
  });
  source.addEventListener("error", function () {
    root.setAttribute("data-live", "no");
    if (status) { status.textContent = "实时更新重连中…"; }
  });
  // The stream's first event is usually what the page already shows: only a real change
  // rebuilds the tables, so a link is not replaced under the user's pointer for nothing.
  var shown = JSON.stringify(data);
  source.addEventListener("summary", function (e) {
    var d;
    try { d = JSON.parse(e.data); } catch (err) { return; }
    var key = JSON.stringify(d);
    if (key === shown) { return; }
    shown = key;
    apply(d);
    root.setAttribute("data-updates", String(Number(root.getAttribute("data-updates") || "0") + 1));
  });
})();
