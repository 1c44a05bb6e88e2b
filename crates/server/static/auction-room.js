// The auction room (拍卖厅): follows the auction's feed (server-sent events) and keeps the
// price, the end of bidding (with why it moved), the bid log and the countdown current
// without reloading; sends the bidder's bids.
//
// Times are the server's: the page carries the server's clock as it was drawn, the offset
// to the browser's clock is measured once and shown, and the countdown runs on the browser's
// clock corrected by it. The feed opens after the log position the page shows (`?after=`),
// and the browser's EventSource sends `Last-Event-ID` when it reconnects by itself, so a bid
// is listed once; a bid whose number the log already shows is skipped all the same.
(function () {
  "use strict";
  var room = document.getElementById("auction-room");
  if (!room) { return; }
  var id = room.getAttribute("data-auction");
  var num = function (name) { return Number(room.getAttribute(name)); };
  var increment = num("data-increment");
  var extensionMinutes = num("data-extension-minutes");
  var endsAt = num("data-ends-at");
  var startsAt = num("data-starts-at");
  var lastSeq = num("data-last-seq");
  var lastEventId = num("data-after");

  // The server's clock minus the browser's, measured against when the page's answer began
  // to arrive (the server drew it just before).
  var arrived = Date.now();
  if (window.performance && performance.getEntriesByType) {
    var nav = performance.getEntriesByType("navigation")[0];
    if (nav && nav.responseStart > 0) { arrived = performance.timeOrigin + nav.responseStart; }
  }
  var offset = num("data-server-now") - arrived;
  var serverNow = function () { return Date.now() + offset; };

  var el = function (elId) { return document.getElementById(elId); };
  var text = function (elId, value) {
    var e = el(elId);
    if (e) { e.textContent = value; }
  };
  var yuan = function (fen) {
    var s = (fen / 100).toFixed(2);
    return "¥" + s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  };
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  // Beijing time (UTC+8, no daylight saving) to the second: 2026-12-03 13:41:07.
  var beijing = function (ms) {
    var d = new Date(ms + 8 * 3600 * 1000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) +
      " " + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  };
  // The feed's RFC 3339 times may carry nanoseconds: milliseconds are enough to show seconds.
  var parseTime = function (s) { return Date.parse(String(s).replace(/(\.\d{3})\d+/, "$1")); };

  // How far apart the clocks are, in the units a person reads it in.
  var apart = function (ms) {
    var s = Math.abs(ms) / 1000;
    if (s < 60) { return (Math.round(s * 10) / 10) + " 秒"; }
    s = Math.round(s);
    if (s < 3600) { return Math.floor(s / 60) + " 分 " + (s % 60) + " 秒"; }
    if (s < 86400) { return Math.floor(s / 3600) + " 小时 " + Math.floor(s % 3600 / 60) + " 分"; }
    return Math.floor(s / 86400) + " 天 " + Math.floor(s % 86400 / 3600) + " 小时";
  };
  text("clock-offset", Math.abs(offset) < 1000
    ? "本机时钟与服务器相差不到 1 秒"
    : "本机时钟比服务器" + (offset > 0 ? "慢 " : "快 ") + apart(offset) + "（倒计时已按服务器时间校正）");
  room.setAttribute("data-clock-offset-ms", String(Math.round(offset)));

  var status = function () { return room.getAttribute("data-status"); };
  var tick = function () {
    var now = serverNow();
    text("server-time", beijing(now));
    if (status() !== "open") { text("countdown", "已结束"); return; }
    var target = now < startsAt ? startsAt : endsAt;
    text("countdown-label", now < startsAt ? "距竞价开始" : "距竞价结束");
    var left = Math.max(0, Math.floor((target - now) / 1000));
    if (now >= endsAt) { text("countdown", "竞价已结束，等待确认结果"); return; }
    var d = Math.floor(left / 86400), h = Math.floor(left % 86400 / 3600);
    var m = Math.floor(left % 3600 / 60), s = left % 60;
    text("countdown", (d > 0 ? d + " 天 " : "") + pad(h) + ":" + pad(m) + ":" + pad(s));
  };
  tick();
  setInterval(tick, 250);

  // The bid box: the lowest valid bid after each bid, and whether this bidder may match.
  var bidForm = el("bid-form");
  var myCode = bidForm ? bidForm.getAttribute("data-my-code") : null;
  var preemptive = bidForm ? bidForm.getAttribute("data-preemptive") === "true" : false;
  var nextPrice = function (b) {
    if (!bidForm) { return; }
    var min = b.amount_fen + increment;
    var leading = b.bidder_code === myCode;
    text("next-min", yuan(min));
    var note = el("leading-note");
    if (note) { note.hidden = !leading; }
    var match = el("may-match");
    if (match) {
      // A holder takes a tie from an ordinary bidder; against another holder the server
      // judges the ranks.
      match.hidden = leading || !preemptive || b.preemptive;
      text("match-price", yuan(b.amount_fen));
    }
    var amount = el("bid-amount");
    if (amount && document.activeElement !== amount) { amount.value = (min / 100).toFixed(2); }
  };

  var onBid = function (b) {
    if (b.seq <= lastSeq) { return; }
    lastSeq = b.seq;
    text("current-price", yuan(b.amount_fen));
    var newEnd = parseTime(b.ends_at);
    if (newEnd !== endsAt) {
      endsAt = newEnd;
      text("ends-at", beijing(newEnd));
      text("extension-note", "延时：第 " + b.seq + " 次出价（" + b.bidder_code + "，" +
        beijing(parseTime(b.at)) + "）在结束前 " + extensionMinutes + " 分钟内，竞价结束时间顺延至 " +
        beijing(newEnd) + "。");
    }
    room.setAttribute("data-ends-at", String(endsAt));
    var body = el("bid-log-body");
    if (body) {
      var row = document.createElement("tr");
      row.className = "bid fresh";
      row.setAttribute("data-seq", String(b.seq));
      [String(b.seq), b.bidder_code + (b.preemptive ? "（优先购买权人）" : ""), yuan(b.amount_fen), beijing(parseTime(b.at))]
        .forEach(function (v, i) {
          var td = document.createElement("td");
          if (i === 0 || i === 2) { td.className = "num"; }
          td.textContent = v;
          row.appendChild(td);
        });
      body.insertBefore(row, body.firstChild);
      setTimeout(function () { row.className = "bid"; }, 3000);
    }
    var none = el("no-bids");
    if (none) { none.remove(); }
    text("bid-count", String(b.seq));
    nextPrice(b);
  };

  var onClosed = function (c) {
    if (status() === "open") {
      text("auction-status", c.result === "sold" ? "已成交" : (c.result === "failed" ? "流拍" : "已结束"));
      if (c.result === "sold") { text("outcome", "成交价 " + yuan(c.price_fen) + "，买受人 " + c.winner_code); }
      room.setAttribute("data-status", c.result || "closed");
      if (bidForm) { bidForm.hidden = true; }
    }
  };

  // The feed, with a visible state: connecting, live, down (reconnecting), back.
  var feedState = el("feed-state");
  var setFeed = function (state, words) {
    room.setAttribute("data-live", state === "live" ? "yes" : "no");
    if (feedState) { feedState.setAttribute("data-state", state); feedState.textContent = words; }
  };
  var everDown = false;
  var source = null;
  var retry = null;
  var connect = function () {
    if (!window.EventSource) { setFeed("down", "此浏览器不支持实时更新，请刷新页面查看最新出价"); return; }
    source = new EventSource("/public/v1/auctions/" + id + "/events?after=" + lastEventId);
    source.addEventListener("open", function () {
      setFeed("live", everDown ? "已重新连接，断线期间的出价已补齐" : "实时更新中");
    });
    var track = function (e) {
      var n = Number(e.lastEventId);
      if (n > lastEventId) { lastEventId = n; }
    };
    source.addEventListener("bid", function (e) { track(e); onBid(JSON.parse(e.data)); });
    source.addEventListener("closed", function (e) {
      track(e);
      onClosed(JSON.parse(e.data));
      setFeed("closed", "拍卖已结束");
      source.close();
    });
    source.addEventListener("error", function () {
      if (status() !== "open") { return; }
      everDown = true;
      setFeed("down", "连接中断，正在重新连接…（已显示的出价保留）");
      // The browser retries by itself while the source is connecting; once it gave up,
      // open a new one after the last event seen.
      if (source.readyState === EventSource.CLOSED && !retry) {
        retry = setTimeout(function () { retry = null; connect(); }, 2000);
      }
    });
  };
  if (status() === "open") { connect(); } else { setFeed("closed", "拍卖已结束"); }

  // A registered bidder waiting for the court to confirm the deposit: the bid box appears
  // once it is confirmed (the confirmation is not part of the public feed).
  var pending = el("deposit-state");
  if (pending && pending.getAttribute("data-pending") === "yes" && window.fetch) {
    var poll = setInterval(function () {
      if (status() !== "open") { clearInterval(poll); return; }
      fetch("/public/auctions/" + id + "/me", { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (r) {
          if (r && r.deposit_paid) { clearInterval(poll); window.location.reload(); }
        }, function () {});
    }, 5000);
  }

  // Bids from the page: the same command as the API's, with an idempotency key per intended
  // bid (a retry after a lost answer sends the same key, and is answered once).
  if (bidForm && window.fetch) {
    var pendingKey = null;
    var pendingAmount = null;
    var newKey = function () {
      var a = new Uint8Array(16);
      window.crypto.getRandomValues(a);
      return Array.prototype.map.call(a, function (x) { return (x < 16 ? "0" : "") + x.toString(16); }).join("");
    };
    var submit = function (amountText) {
      var result = el("bid-result");
      var button = el("bid-button");
      if (pendingAmount !== amountText) { pendingKey = newKey(); pendingAmount = amountText; }
      var data = new URLSearchParams();
      data.set("amount", amountText);
      data.set("key", pendingKey);
      var token = bidForm.querySelector("input[name=csrf_token]");
      if (button) { button.disabled = true; }
      fetch(bidForm.action, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Accept": "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRF-Token": token ? token.value : "",
          "Idempotency-Key": pendingKey
        },
        body: data.toString()
      }).then(function (r) {
        return r.json().then(function (j) { return j; }, function () {
          return { accepted: false, message: "出价未被接受：服务器未能处理（" + r.status + "）" };
        });
      }).then(function (j) {
        // Answered: the next bid is another one.
        pendingKey = null; pendingAmount = null;
        if (result) {
          result.textContent = j.message || (j.detail ? "出价未被接受：" + j.detail : "");
          result.setAttribute("data-accepted", j.accepted ? "true" : "false");
        }
      }, function () {
        // No answer: the same key goes with the retry.
        if (result) {
          result.textContent = "网络中断，出价结果未知；请再次点击「出价」，同一出价不会重复记录。";
          result.setAttribute("data-accepted", "unknown");
        }
      }).then(function () { if (button) { button.disabled = false; } });
    };
    bidForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var amount = el("bid-amount");
      submit(amount ? amount.value.trim() : "");
    });
    var match = el("may-match");
    if (match) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.id = "match-button";
      btn.textContent = "按当前价出价";
      btn.addEventListener("click", function () {
        var p = el("match-price");
        var fen = p ? p.textContent.replace(/[¥,]/g, "") : "";
        submit(fen);
      });
      match.appendChild(btn);
    }
  }
})();
