/* refkit partner site: copy buttons, the "Is this a fit?" checklist and the
   intro builder.
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
        text = "Probably not a fit: please don\u2019t introduce this one. Thank you for checking.";
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

  /* The intro builder. The page embeds, as JSON, each draft rendered from its
     template with tokens where the prospect's name, company, chosen signals and
     criteria, warmth and notes go; here they are swapped for what the partner
     typed, or back for the [blank]. No words are made up here. */
  var BLANK = /\[[A-Z][^\[\]\n]{2,60}\]/g;
  var KEPT = { "%24": "$", "%2C": ",", "%3B": ";", "%3A": ":", "%40": "@" };

  function encode(value) {
    var text = value.replace(/\r\n?/g, "\n").replace(/\n/g, "\r\n");
    return encodeURIComponent(text).replace(/%(24|2C|3B|3A|40)/g, function (escape) {
      return KEPT[escape];
    });
  }

  /* refkit/text/mailto.py's mailto_link, line for line: a draft that is too
     long loses paragraphs from its end (keeping the greeting and sign-off)
     and gets `more` (a prospect-facing page) in their place. */
  function mailtoLink(base, subject, body, more, cut, max) {
    function link(subjectText, text) {
      var query = subjectText ? ["subject=" + encode(subjectText)] : [];
      if (text) {
        query.push("body=" + encode(text));
      }
      return base + (query.length ? "?" + query.join("&") : "");
    }
    var full = link(subject, body);
    if (full.length <= max) {
      return full;
    }
    var marker = more || cut;
    var normal = body.replace(/\r\n?/g, "\n").replace(/^\n+|\n+$/g, "");
    var paragraphs = normal.split("\n\n").filter(function (p) {
      return p.trim();
    });
    var candidate;
    if (paragraphs.length >= 3) {
      var head = paragraphs[0];
      var middle = paragraphs.slice(1, -1);
      var signOff = paragraphs[paragraphs.length - 1];
      for (var keep = middle.length - 1; keep >= 0; keep -= 1) {
        candidate = link(subject, [head].concat(middle.slice(0, keep), [marker, signOff]).join("\n\n"));
        if (candidate.length <= max) {
          return candidate;
        }
      }
    }
    var lines = normal.split("\n");
    var low = 0;
    var high = lines.length - 1;
    var best = null;
    while (low <= high) {
      var mid = Math.floor((low + high) / 2);
      candidate = link(subject, lines.slice(0, mid + 1).join("\n").replace(/\s+$/, "") + "\n\n" + marker);
      if (candidate.length <= max) {
        best = candidate;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    if (best !== null) {
      return best;
    }
    var endings = [marker, ""];
    for (var i = 0; i < endings.length; i += 1) {
      candidate = link(subject, endings[i]);
      if (candidate.length <= max) {
        return candidate;
      }
    }
    var words = subject.split(/\s+/).filter(Boolean);
    while (words.length) {
      words.pop();
      candidate = link(words.join(" ") + " ...", "");
      if (candidate.length <= max) {
        return candidate;
      }
    }
    return base.length <= max ? base : "mailto:";
  }

  function showMarked(element, text) {
    element.textContent = "";
    var last = 0;
    text.replace(BLANK, function (blank, offset) {
      element.appendChild(document.createTextNode(text.slice(last, offset)));
      var mark = document.createElement("mark");
      mark.textContent = blank;
      element.appendChild(mark);
      last = offset + blank.length;
      return blank;
    });
    element.appendChild(document.createTextNode(text.slice(last)));
  }

  function swap(text, token, value) {
    return text.split(token).join(value);
  }

  function firstName(name, honorifics) {
    var words = name.split(" ");
    if (words.length > 1 && honorifics.indexOf(words[0].replace(/\.+$/, "").toLowerCase()) >= 0) {
      return words[0] + " " + words[words.length - 1];
    }
    return words[0];
  }

  document.querySelectorAll("[data-builder]").forEach(function (root) {
    var source = root.querySelector("[data-builder-data]");
    var form = root.querySelector("[data-builder-form]");
    if (!source || !form) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var tokens = data.tokens;
    var status = form.querySelector("[data-builder-status]");
    form.hidden = false;

    function value(name) {
      var input = form.querySelector('[data-field="' + name + '"]');
      return input ? input.value.split(/\s+/).filter(Boolean).join(" ") : "";
    }

    function ticked(selector) {
      return Array.prototype.filter
        .call(form.querySelectorAll(selector), function (input) {
          return input.checked;
        })
        .map(function (input) {
          return Number(input.value);
        });
    }

    function fill(text, state, list) {
      var blanks = data.blanks;
      var name = state.name;
      text = swap(text, tokens.name + " " + tokens.last, name || blanks.name);
      text = swap(text, tokens.name, name ? firstName(name, data.honorifics) : blanks.first);
      text = swap(text, tokens.company, state.company || blanks.company);
      text = swap(text, tokens.warmth, state.warmth || blanks.warmth);
      text = swap(text, tokens.first_call, state.firstCall || blanks.first_call);
      if (blanks.sender && state.sender) {
        text = swap(text, blanks.sender, state.sender);
      }
      var signals = state.signals.map(function (i) {
        return list ? data.signals[i] : data.mentions[i];
      });
      var mask = state.signals.reduce(function (sum, i) {
        return sum + Math.pow(2, i);
      }, 0);
      var mentioned = data.joined[String(mask)] || signals.join(", ");
      text = swap(text, tokens.signals, list ? signals.join("\n- ") : mentioned);
      var criteria = state.criteria.map(function (i) {
        return data.criteria[i];
      });
      return swap(text, tokens.criteria, criteria.join("\n- "));
    }

    function update() {
      var warmth = form.querySelector("[data-warmth]:checked");
      var state = {
        name: value("name"),
        company: value("company"),
        sender: value("sender"),
        firstCall: (form.querySelector('[data-field="first_call"]') || { value: "" }).value.trim(),
        warmth: warmth ? warmth.value : "",
        signals: ticked("[data-signal]"),
        criteria: ticked("[data-criterion]")
      };
      var left = 0;
      data.emails.forEach(function (email) {
        var box = document.getElementById(email.box);
        if (!box) {
          return;
        }
        var key = ["sc", "s", "c", ""].filter(function (k) {
          return (
            k in email.variants &&
            (k.indexOf("s") < 0 || state.signals.length) &&
            (k.indexOf("c") < 0 || state.criteria.length)
          );
        })[0];
        var draft = email.variants[key];
        var subject = fill(draft.subject, state, email.list);
        var text = fill(draft.text, state, email.list);
        showMarked(document.getElementById(email.box + "-subject"), subject);
        showMarked(document.getElementById(email.box + "-body"), text);
        var blanks = (subject + "\n" + text).match(BLANK) || [];
        left += blanks.length;
        var mail = box.querySelector("[data-mail]");
        if (!mail) {
          return;
        }
        if (blanks.length) {
          mail.removeAttribute("href");
          mail.setAttribute("aria-disabled", "true");
          mail.classList.add("is-disabled");
          mail.title = "Fill in the highlighted blanks first";
        } else {
          mail.setAttribute("href", mailtoLink(email.base, subject, text, data.more, data.cut, data.max));
          mail.removeAttribute("aria-disabled");
          mail.classList.remove("is-disabled");
          mail.removeAttribute("title");
        }
      });
      if (status) {
        status.textContent = left
          ? left + (left === 1 ? " blank" : " blanks") + " left to fill in (highlighted below)."
          : "All filled in: copy the emails or open them in your email app.";
      }
    }

    root.querySelectorAll("[data-mail]").forEach(function (mail) {
      mail.addEventListener("click", function (event) {
        if (mail.getAttribute("aria-disabled") === "true") {
          event.preventDefault();
        }
      });
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    /* A profile page asks "Is this a fit?" with the same criteria, in the
       same order: what is ticked there is ticked here. */
    var mine = form.querySelectorAll("[data-criterion]");
    var fits = document.querySelectorAll("[data-fit] [data-fit-criterion]");
    if (fits.length === mine.length && document.querySelectorAll("[data-builder]").length === 1) {
      fits.forEach(function (fit, i) {
        fit.addEventListener("change", function () {
          mine[i].checked = fit.checked;
          update();
        });
      });
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });
})();
