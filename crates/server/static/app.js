// Behaviour every page may use, without inline script (the Content-Security-Policy allows
// scripts from this origin only): a button marked data-print prints the page.
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("[data-print]");
  if (b) {
    e.preventDefault();
    window.print();
  }
});

// The open case page follows its case: it asks for the case's newest change every few seconds
// and, when it moved, fetches the page again and replaces each section that differs — except
// one the user is typing in or has changed a field of, so that no input is lost.
(function () {
  var live = document.getElementById("case-live");
  if (!live || !live.hasAttribute("data-live") || !window.fetch || !window.DOMParser) return;
  var url = live.getAttribute("data-live");
  var seen = Number(live.getAttribute("data-seen") || 0);
  var busy = false;

  function edited(section) {
    if (section.contains(document.activeElement) && document.activeElement !== document.body) {
      var t = document.activeElement.tagName;
      if (t === "INPUT" || t === "TEXTAREA" || t === "SELECT") return true;
    }
    var fields = section.querySelectorAll("input, textarea, select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "hidden" || f.type === "submit" || f.type === "button") continue;
      if (f.type === "checkbox" || f.type === "radio") {
        if (f.checked !== f.defaultChecked) return true;
      } else if (f.tagName === "SELECT") {
        for (var j = 0; j < f.options.length; j++) {
          if (f.options[j].selected !== f.options[j].defaultSelected) return true;
        }
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function refresh(seq) {
    return fetch(location.pathname, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("page " + r.status);
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var kept = 0;
        document.querySelectorAll("main section[id]").forEach(function (old) {
          var fresh = doc.getElementById(old.id);
          if (!fresh || fresh.innerHTML === old.innerHTML) return;
          if (edited(old)) {
            kept++;
            return;
          }
          var node = document.importNode(fresh, true);
          old.replaceWith(node);
          if (window.htmx) window.htmx.process(node);
        });
        doc.querySelectorAll("main section[id]").forEach(function (s) {
          // A section the page did not have (e.g. the first measure): added after its
          // predecessor in the fresh page.
          if (document.getElementById(s.id)) return;
          var prev = s.previousElementSibling;
          var anchor = prev && prev.id ? document.getElementById(prev.id) : null;
          if (anchor) anchor.after(document.importNode(s, true));
        });
        seen = seq;
        // Beijing time, as every time on the pages.
        var at = new Date().toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
        live.textContent =
          "案件有新的进展，已于 " + at + "（北京时间）更新" +
          (kept ? "（" + kept + " 处您正在填写的表单未更新，提交或刷新后可见）" : "");
        live.setAttribute("data-seen", String(seq));
      });
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("live " + r.status);
        return r.json();
      })
      .then(function (j) {
        if (typeof j.seq === "number" && j.seq > seen) return refresh(j.seq);
      })
      .catch(function () {
        live.textContent = "暂时无法获取案件的最新进展，稍后自动重试。";
      })
      .then(function () {
        busy = false;
      });
  }
  setInterval(poll, 3000);
})();
