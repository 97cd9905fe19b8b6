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

// Why an amount cannot be accepted for a line (the server says the same), or null.
function problemWith(input, amount) {
  const min = Number(input.min);
  const max = Number(input.max);
  const step = Number(input.step);
  const name = input.dataset.name;
  if (amount < min) {
    return `${name}: ${pounds(amount)} is below the minimum of ${pounds(min)} (by ${pounds(min - amount)}).`;
  }
  if (amount > max) {
    return `${name}: ${pounds(amount)} is above the maximum of ${pounds(max)} (by ${pounds(amount - max)}).`;
  }
  if (step > 0 && (amount - min) % step !== 0) {
    return `${name}: ${pounds(amount)} is not one of the steps of ${pounds(step)} from ${pounds(min)}.`;
  }
  return null;
}

// Mark a line the live total flagged, and unmark it when it is fixed; errors
// the server rendered are left alone.
function flag(input, problem) {
  if (problem) {
    input.classList.add("govuk-input--error");
    input.setAttribute("aria-invalid", "true");
    input.dataset.liveFlagged = "true";
  } else if (input.dataset.liveFlagged) {
    input.classList.remove("govuk-input--error");
    input.removeAttribute("aria-invalid");
    delete input.dataset.liveFlagged;
  }
}

function update(simulator) {
  const kind = simulator.dataset.targetKind;
  const target = Number(simulator.dataset.target);
  let saving = 0;
  let net = 0;
  let unreadable = 0;
  const problems = [];
  for (const input of simulator.querySelectorAll("[data-budget-line]")) {
    const current = Number(input.dataset.current);
    let amount = amountOf(input);
    let problem = null;
    if (amount === null) {
      unreadable += 1;
      amount = current;
    } else {
      problem = problemWith(input, amount);
      // Counted at the nearest bound, as the server does: never a total
      // that relies on an amount that cannot be accepted.
      amount = Math.min(Math.max(amount, Number(input.min)), Number(input.max));
    }
    flag(input, problem);
    if (problem) {
      problems.push(problem);
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
  if (problems.length) {
    lines.push(
      paragraph(
        `Not balanced yet: ${problems.length} ${problems.length === 1 ? "line is" : "lines are"} outside the amounts allowed, counted at the nearest amount allowed.`,
      ),
    );
    for (const problem of problems) {
      lines.push(paragraph(problem));
    }
  }
  if (gap <= 0) {
    if (!problems.length) {
      lines.push(paragraph(gap < 0 ? `Target met, with ${pounds(-gap)} to spare.` : "Target met."));
    }
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
  // Announce after typing pauses, not on every keystroke. No update on
  // "change": it fires on blur, and the totals growing then would move the
  // send button away between the press and the release of a click on it.
  simulator.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => update(simulator), 500);
  });
}
