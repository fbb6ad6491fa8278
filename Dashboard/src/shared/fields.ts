// Fields in a text the knowledge team writes once and the desk fills per conversation: "Hello {customer.name}".
// Pure functions, so what an answer becomes can be read off here without a page.

/** Field values by name, the names in lower case: `customer.name`, `agent.name`, `conversation.id`. */
export type FieldValues = Readonly<Record<string, string>>;

const field = /\{\s*([A-Za-z][\w.]*)\s*\}/g;

/**
 * The text with each `{name}` the values know replaced by its value; the name is matched without regard to case or
 * surrounding spaces (`{ Customer.Name }`). A field the values do not know stays exactly as written, so the agent
 * sees it in the reply box and fills it by hand before sending. One pass: a value holding braces (a customer who
 * calls themselves "{agent.name}") is inserted as it is, never filled in turn.
 */
export function fillFields(text: string, values: FieldValues): string {
  return text.replace(field, (written: string, name: string) => {
    const key = name.toLowerCase();
    return Object.hasOwn(values, key) ? values[key] : written;
  });
}

/**
 * The text on one line: each line break, with the spaces around it, becomes one space. The desk's reply box is a
 * single-line input, which would otherwise drop the breaks and run the lines' words together.
 */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ").trim();
}
