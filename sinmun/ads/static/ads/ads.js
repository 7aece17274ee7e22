/* Sinmun banner slots: fill every reserved box of the page from one uncached request, so a page
   served from the page cache still rotates its banners; load a banner's image or frame only when
   the reader is near it; count a view when at least half of the banner has been on screen for a
   second (IntersectionObserver), and send views in small batches with sendBeacon. Never blocks:
   the script is deferred and a failed request leaves the labelled boxes as they are. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.IntersectionObserver) return;
  var serveUrl = script.getAttribute("data-serve");
  var viewUrl = script.getAttribute("data-view");
  var DESKTOP = "(min-width: 960px)";
  var device = window.matchMedia(DESKTOP).matches ? "d" : "m";
  var slots = Array.prototype.filter.call(
    document.querySelectorAll("[data-ad-slot]"),
    function (el) { return el.getClientRects().length > 0; }
  );
  if (!slots.length) return;
  slots.forEach(function (slot) {
    var close = slot.querySelector(".ad-close");
    if (close) close.addEventListener("click", function () { slot.classList.add("ad-closed"); });
  });

  var pending = [];
  var flushTimer = null;
  function sendViews() {
    flushTimer = null;
    if (!pending.length) return;
    var body = pending.splice(0, 20).join("\n");
    if (!(navigator.sendBeacon && navigator.sendBeacon(viewUrl, body))) {
      fetch(viewUrl, { method: "POST", body: body, keepalive: true, credentials: "omit" });
    }
    if (pending.length) sendViews();
  }
  function queueView(token) {
    pending.push(token);
    if (!flushTimer) flushTimer = setTimeout(sendViews, 500);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendViews();
  });

  var timers = new WeakMap();
  var watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var el = entry.target;
      if (entry.intersectionRatio >= 0.5) {
        if (!timers.has(el)) {
          timers.set(el, setTimeout(function () {
            if (document.visibilityState !== "visible") { timers.delete(el); return; }
            watcher.unobserve(el);
            queueView(el.getAttribute("data-ad-view"));
          }, 1000));
        }
      } else if (timers.has(el)) {
        clearTimeout(timers.get(el));
        timers.delete(el);
      }
    });
  }, { threshold: [0, 0.5] });

  function build(slot, fill) {
    var box = slot.querySelector(".ad-box");
    if (fill.kind === "html") {
      var frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "allow-scripts allow-popups allow-popups-to-escape-sandbox");
      frame.setAttribute("title", "광고");
      frame.setAttribute("scrolling", "no");
      frame.setAttribute("referrerpolicy", "no-referrer");
      frame.src = fill.frame;
      box.appendChild(frame);
    } else {
      var link = document.createElement("a");
      link.href = fill.href;
      link.rel = "sponsored noopener";
      link.target = "_blank";
      var picture = document.createElement("picture");
      var img = document.createElement("img");
      if (fill.img.d) {
        var source = document.createElement("source");
        source.media = DESKTOP;
        source.srcset = fill.img.d.src;
        source.width = fill.img.d.w;
        source.height = fill.img.d.h;
        picture.appendChild(source);
      }
      var small = fill.img.m || fill.img.d;
      img.src = small.src;
      img.width = small.w;
      img.height = small.h;
      img.alt = fill.alt || "광고";
      img.decoding = "async";
      picture.appendChild(img);
      link.appendChild(picture);
      box.appendChild(link);
    }
    watcher.observe(box);
    box.setAttribute("data-ad-view", fill.view);
  }

  function empty(slot) {
    // Fold an empty slot away only where the reader cannot see it fold: below the screen.
    if (slot.getBoundingClientRect().top > window.innerHeight) slot.classList.add("ad-empty");
  }

  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      near.unobserve(entry.target);
      var fill = entry.target.__adFill;
      if (fill) build(entry.target, fill);
    });
  }, { rootMargin: "300px 0px" });

  var names = slots.map(function (el) { return el.getAttribute("data-ad-slot"); });
  var section = "";
  slots.some(function (el) { section = el.getAttribute("data-ad-section") || ""; return section; });
  var url = serveUrl + "?slots=" + encodeURIComponent(names.join(",")) +
    "&device=" + device + "&section=" + encodeURIComponent(section);
  fetch(url, { credentials: "omit", cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : { slots: {} }; })
    .then(function (data) {
      slots.forEach(function (slot) {
        var fill = data.slots[slot.getAttribute("data-ad-slot")];
        if (!fill) { empty(slot); return; }
        slot.__adFill = fill;
        near.observe(slot);
      });
    })
    .catch(function () {});
})();
