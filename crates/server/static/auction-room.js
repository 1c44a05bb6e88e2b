// The live auction room: follows the auction's feed (server-sent events) and updates the
// price, the end of bidding and the bid log without reloading. The browser's EventSource
// reconnects by itself and sends Last-Event-ID, so nothing is missed or shown twice.
(function () {
  "use strict";
  var room = document.getElementById("auction-room");
  if (!room || !window.EventSource) { return; }
  var id = room.getAttribute("data-auction");
  var yuan = function (fen) {
    var s = (fen / 100).toFixed(2);
    return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  };
  var text = function (elId, value) {
    var el = document.getElementById(elId);
    if (el) { el.textContent = value; }
  };
  var source = new EventSource("/public/v1/auctions/" + id + "/events");
  source.addEventListener("open", function () { room.setAttribute("data-live", "yes"); });
  source.addEventListener("bid", function (e) {
    var b = JSON.parse(e.data);
    text("current-price", yuan(b.amount_fen));
    text("ends-at", b.ends_at);
    var body = document.getElementById("bid-log-body");
    if (body) {
      var row = document.createElement("tr");
      row.className = "bid";
      [String(b.seq), b.bidder_code + (b.preemptive ? "（优先购买权人）" : ""), yuan(b.amount_fen), b.at]
        .forEach(function (v) {
          var td = document.createElement("td");
          td.textContent = v;
          row.appendChild(td);
        });
      body.insertBefore(row, body.firstChild);
    }
    var none = document.getElementById("no-bids");
    if (none) { none.remove(); }
    text("bid-count", String(b.seq));
  });
  source.addEventListener("closed", function (e) {
    var c = JSON.parse(e.data);
    // The feed replays the log from its start, close included: a room drawn after the close
    // (sold, paid, defaulted) already says more than the close did, and keeps it.
    if (room.getAttribute("data-status") === "open") {
      text("auction-status", c.result === "sold" ? "已成交" : (c.result === "failed" ? "流拍" : "已结束"));
      if (c.result === "sold") { text("outcome", "成交价 " + yuan(c.price_fen) + " 元，买受人 " + c.winner_code); }
      room.setAttribute("data-status", c.result || "closed");
    }
    source.close();
  });
})();
