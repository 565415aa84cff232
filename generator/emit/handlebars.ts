/**
 * The one Handlebars environment of the generator. Only `*.hbs` assets go through it; Helm
 * templates are copied byte for byte. `noEscape` keeps YAML intact; `strict` makes an unknown
 * name (such as an unescaped Helm action) throw instead of rendering as an empty string.
 */
import Handlebars from 'handlebars';

const handlebars = Handlebars.create();
// `{{json x}}` writes a JSON string, which is also a valid YAML scalar whatever x holds.
handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));

/** Renders an `.hbs` source with the given context; throws on any unknown name. */
export function renderHandlebars(source: string, context: object, name: string): string {
  try {
    return handlebars.compile(source, { noEscape: true, strict: true })(context);
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message}`);
  }
}
