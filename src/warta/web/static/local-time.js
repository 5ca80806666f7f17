// The reader's own clock beside WIB: every <time datetime> on the page gets the same moment in
// the browser's time zone after it, when that zone's offset is not WIB's (+07:00). The page
// reads fine without it (the server writes WIB); nothing here touches the network.
"use strict";
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  var lang = document.documentElement.lang === "id" ? "id-ID" : "en-GB";
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var at = new Date(el.getAttribute("datetime"));
    if (isNaN(at.getTime()) || at.getTimezoneOffset() === -420) {
      return;
    }
    var shown = at.toLocaleString(lang, {
      day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
    var local = document.createElement("span");
    local.className = "local-time";
    local.textContent = " (" + shown + " " + zone.replace(/_/g, " ") + ")";
    el.after(local);
  });
})();
