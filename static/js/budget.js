// Budget simulator: live totals and the gap still to close, announced to
// screen readers through the aria-live region the server already renders.
// Everything works without this file; the server checks every choice again.

const money = new Intl.NumberFormat("en-GB", {
  style: "currency",
  currency: "GBP",
  maximumFractionDigits: 0,
});

function pounds(value) {
  return money.format(value).replace("-", "−");
}

function amountOf(input) {
  const raw = input.value.replace(/[£,\s]/g, "");
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

function paragraph(text, strong) {
  const p = document.createElement("p");
  p.className = "govuk-body govuk-!-margin-bottom-1";
  p.append(text);
  if (strong !== undefined) {
    const s = document.createElement("strong");
    s.textContent = strong;
    p.append(s);
  }
  return p;
}

function update(simulator) {
  const kind = simulator.dataset.targetKind;
  const target = Number(simulator.dataset.target);
  let saving = 0;
  let net = 0;
  let unreadable = 0;
  for (const input of simulator.querySelectorAll("[data-budget-line]")) {
    const current = Number(input.dataset.current);
    let amount = amountOf(input);
    if (amount === null) {
      unreadable += 1;
      amount = current;
    }
    if (input.dataset.kind === "revenue") {
      saving += amount - current;
      net -= amount;
    } else {
      saving += current - amount;
      net += amount;
    }
  }
  const gap = kind === "savings" ? target - saving : net - target;
  const lines = [paragraph("Savings from your choices: ", pounds(saving))];
  if (gap <= 0) {
    lines.push(paragraph(gap < 0 ? `Target met, with ${pounds(-gap)} to spare.` : "Target met."));
  } else if (kind === "savings") {
    lines.push(paragraph("Still to find: ", pounds(gap)));
  } else {
    lines.push(paragraph("Over the limit by ", pounds(gap)));
  }
  if (unreadable) {
    lines.push(
      paragraph(
        `${unreadable} ${unreadable === 1 ? "box is" : "boxes are"} not a whole number of pounds and counted at today’s amount.`,
      ),
    );
  }
  simulator.querySelector("[data-budget-status]").replaceChildren(...lines);
}

for (const simulator of document.querySelectorAll("[data-budget-simulator]")) {
  let timer;
  // Announce after typing pauses, not on every keystroke.
  simulator.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => update(simulator), 500);
  });
  simulator.addEventListener("change", () => {
    clearTimeout(timer);
    update(simulator);
  });
}
