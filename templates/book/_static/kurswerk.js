/* kurswerk: small additions to the book theme (no libraries; Jupyter Book loads this on every page). */
(function () {
  "use strict";

  /* Wide tables scroll inside their own box; when one does, a hint above it says so. */
  /* A name for a scrolling table's box that no other box on the page has (axe landmark-unique):
     the heading of its section, numbered if a section has several. */
  function tableName(box, used) {
    var section = box.closest("section");
    var heading = section ? section.querySelector("h1, h2, h3, h4, h5, h6") : null;
    var title = heading ? heading.textContent.replace(/#\s*$/, "").trim() : "";
    var base = "Tabelle" + (title ? " „" + title + "“" : "") + ", seitlich verschiebbar";
    var name = base;
    for (var number = 2; used.has(name); number++) { name = base + " (" + number + ")"; }
    used.add(name);
    return name;
  }

  function markScrollingTables() {
    var used = new Set();
    document.querySelectorAll(".bd-article .pst-scrollable-table-container").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains("kurswerk-scroll-hint")) {
        hint = document.createElement("p");
        hint.className = "kurswerk-scroll-hint";
        hint.textContent = "Breite Tabelle: zum Weiterlesen seitlich wischen →";
        box.parentNode.insertBefore(hint, box);
      }
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      hint.hidden = !scrolls;
      box.classList.toggle("kurswerk-scrolls", scrolls);
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", tableName(box, used));
      } else {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  /* The printed page names the book page and its address in the page header. */
  function printHeader() {
    var quote = function (text) { return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"'; };
    var heading = document.querySelector(".bd-article h1");
    var title = heading ? heading.textContent.replace(/[#¶]\s*$/, "").trim() : document.title;
    var style = document.createElement("style");
    style.id = "kurswerk-print-header";
    style.textContent = "@page { @top-left { content: " + quote(title) + "; font: 8pt sans-serif; color: #333; }" +
      " @top-right { content: " + quote(location.href) + "; font: 8pt sans-serif; color: #333; }" +
      " @bottom-right { content: \"Seite \" counter(page); font: 8pt sans-serif; color: #333; } }";
    document.head.appendChild(style);
  }

  /* "Drucken / PDF" buttons are written hidden (they need this script) and shown here. */
  function printButtons() {
    document.querySelectorAll("button.kurswerk-print").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  /* German where the theme and its extensions write English from JavaScript or from templates the book
     cannot override: the search shortcut's key ("Strg", not "Ctrl"; on a Mac the theme shows "⌘") and
     sphinx-togglebutton's label of its expand buttons (this script runs after togglebutton.js). */
  function germanLabels() {
    document.querySelectorAll("kbd.kbd-shortcut__modifier").forEach(function (key) {
      if (key.textContent.trim() === "Ctrl") { key.textContent = "Strg"; }
    });
    document.querySelectorAll('button[aria-label="Toggle hidden content"]').forEach(function (button) {
      button.setAttribute("aria-label", "Verborgenen Inhalt anzeigen oder verbergen");
    });
  }

  function start() {
    germanLabels();
    printHeader();
    printButtons();
    markScrollingTables();
    window.addEventListener("resize", markScrollingTables);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
