/* refkit partner site: copy buttons and the "Is this a fit?" checklist.
   Progressive enhancement: without JavaScript every text is still on the page,
   and the copy buttons stay hidden. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.top = "0";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (error) {
        ok = false;
      }
      area.remove();
      if (ok) {
        resolve();
      } else {
        reject(new Error("copy failed"));
      }
    });
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var status = button.parentElement.querySelector(".copy-status");
    var timer = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var what = button.textContent.trim().replace(/^Copy /, "");
      copyText(source.textContent).then(
        function () {
          if (status) {
            status.textContent = what.charAt(0).toUpperCase() + what.slice(1) + " copied.";
          }
        },
        function () {
          if (status) {
            status.textContent = "Could not copy: select the text and copy it yourself.";
          }
        }
      );
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        if (status) {
          status.textContent = "";
        }
      }, 6000);
    });
  });

  document.querySelectorAll("[data-fit]").forEach(function (box) {
    var criteria = box.querySelectorAll("[data-fit-criterion]");
    var flags = box.querySelectorAll("[data-fit-disqualifier]");
    var verdict = box.querySelector("[data-fit-verdict]");
    if (!verdict) {
      return;
    }
    function count(list) {
      return Array.prototype.filter.call(list, function (input) {
        return input.checked;
      }).length;
    }
    box.addEventListener("change", function () {
      var met = count(criteria);
      var red = count(flags);
      var state = "";
      var text = "";
      if (red > 0) {
        state = "no";
        text = "Probably not a fit: please don't introduce this one. Thank you for checking.";
      } else if (met === criteria.length) {
        state = "yes";
        text = "Looks like a strong fit. Ask them first, then send the introduction below.";
      } else if (met > 0) {
        state = "maybe";
        text = met + " of " + criteria.length + " criteria met so far.";
      }
      verdict.textContent = text;
      verdict.setAttribute("data-state", state);
    });
  });
})();
