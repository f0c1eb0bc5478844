// Expand an .ics file with Mozilla's ical.js (Thunderbird's engine) and print each meeting as JSON.
// Usage: node expand.mjs FILE FROM TO   (FROM and TO are UTC instants, e.g. 2026-01-01T00:00:00Z)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [file, from, to] = process.argv.slice(2);
const windowStart = new Date(from);
const windowEnd = new Date(to);
const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const events = calendar.getAllSubcomponents("vevent");
const meetings = [];
const add = (summary, uid, start, end) => {
  const at = start.toJSDate();
  if (at >= windowStart && at < windowEnd) {
    meetings.push({ uid, summary, start: at.toISOString(), end: end.toJSDate().toISOString(), local: start.toString() });
  }
};
for (const master of events.filter((e) => !e.hasProperty("recurrence-id"))) {
  const event = new ICAL.Event(master);
  for (const exception of events.filter((e) => e.hasProperty("recurrence-id"))) {
    if (exception.getFirstPropertyValue("uid") === event.uid) event.relateException(exception);
  }
  if (!event.isRecurring()) {
    add(event.summary, event.uid, event.startDate, event.endDate);
    continue;
  }
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const details = event.getOccurrenceDetails(next);
    if (details.startDate.toJSDate() >= windowEnd && next.toJSDate() >= windowEnd) break;
    add(details.item.summary, event.uid, details.startDate, details.endDate);
  }
}
meetings.sort((a, b) => a.start.localeCompare(b.start));
process.stdout.write(JSON.stringify(meetings));
