// Layout problems on the current page, as strings (run by test_site_layout.py).
() => {
  const problems = [];
  const doc = document.documentElement;
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (el.classList.length) s += "." + [...el.classList].join(".");
    const section = el.closest("section[aria-labelledby]");
    if (section) s += " in #" + section.getAttribute("aria-labelledby");
    return s;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden" && r.width > 0 && r.height > 0
      && !el.closest(".visually-hidden, [hidden]");
  };
  if (doc.scrollWidth > doc.clientWidth) {
    problems.push(`the page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`);
  }
  // an element whose right edge passes its container's, unless something scrolls it
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  for (const el of document.body.querySelectorAll("*")) {
    const parent = el.parentElement;
    if (!parent || !visible(el) || getComputedStyle(el).position === "absolute") continue;
    if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
    let scroller = parent;
    while (scroller && scroller !== document.body && !scrolls(scroller)) scroller = scroller.parentElement;
    if (scroller && scroller !== document.body) continue;
    const right = el.getBoundingClientRect().right;
    const style = getComputedStyle(parent);
    const box = parent.getBoundingClientRect().right - parseFloat(style.borderRightWidth);
    if (right > box + 1) {
      problems.push(`${name(el)} ends ${Math.round(right - box)}px beyond ${name(parent)}`);
    }
  }
  // containers of cards (not lists, which flow in columns): rows of children by their top
  const containers = document.querySelectorAll(
    ".grid, .split, .contact, .fit, .hero-inner, .builder-fields, .facts, .footer-inner"
  );
  for (const box of containers) {
    if (!visible(box)) continue;
    const kids = [...box.children].filter(visible);
    if (kids.length === 0) continue;
    const style = getComputedStyle(box);
    const width = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const gap = parseFloat(style.columnGap) || 0;
    const rows = [];
    for (const kid of kids) {
      const r = kid.getBoundingClientRect();
      const row = rows.find((x) => Math.abs(x.top - r.top) < 2);
      if (row) row.items.push(kid); else rows.push({ top: r.top, items: [kid] });
    }
    const filled = (row) =>
      row.items.reduce((sum, kid) => sum + kid.getBoundingClientRect().width, 0)
      + gap * (row.items.length - 1);
    const full = rows.some((row) => filled(row) >= width * 0.97 && row.items.length > 1);
    for (const row of rows) {
      const share = filled(row) / width;
      if (share < 0.6 && (full || rows.length === 1)) {
        const what = row.items.length === 1 ? "a lone " + name(row.items[0]) : `${row.items.length} items`;
        problems.push(`${name(box)}: a row fills ${Math.round(share * 100)}% of the width (${what})`);
      }
      if (row.items.length > 1) {
        for (const kid of row.items) {
          if (!kid.innerText.trim() && !kid.querySelector("img, svg, input")) {
            problems.push(`${name(box)}: an empty column (${name(kid)}) beside a full one`);
          }
        }
      }
    }
  }
  // a wide fact takes its row whole at every width (industries beside the service
  // area at 375 px split their chips mid-word)
  for (const fact of document.querySelectorAll(".fact-wide")) {
    if (!visible(fact)) continue;
    const row = fact.parentElement.clientWidth;
    const width = fact.getBoundingClientRect().width;
    if (width < row - 2) {
      problems.push(`${name(fact)} is ${Math.round(width)}px wide in a ${row}px row`);
    }
  }
  return problems;
}
