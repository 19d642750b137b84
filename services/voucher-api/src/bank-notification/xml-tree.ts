import { create } from 'xmlbuilder2';
import { AppError } from '../errors/app-error.ts';

/**
 * The part of the DOM that xmlbuilder2 builds which reading a camt file needs. Declared here
 * rather than imported: the DOM types live in a package the API does not depend on directly.
 */
export interface XmlElement {
  readonly nodeType: number;
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
}

const ELEMENT_NODE = 1;
const DOCUMENT_NODE = 9;
/** Appended as a comment after the text: see `parseXmlDocument`. */
const END_MARK = 'voucher-bank-notification-end';

/**
 * Parses XML text into its root element, refusing what is not a whole document.
 *
 * xmlbuilder2 reads leniently: it does not insist that every element is closed, so a file
 * cut off in transfer would read as a shorter, valid-looking document and silently lose its
 * last entries. To catch that, a comment is appended after the text and the parser reports
 * where it lands: only when every element was closed does it land on the document itself.
 * A DOCTYPE is refused outright: ISO 20022 messages have none, and entity declarations are
 * how XML files attack their readers.
 */
export function parseXmlDocument(text: string): XmlElement {
  let closed = false;
  let doctype = false;
  let root: XmlElement | null;
  try {
    const document = create(
      {
        parser: {
          docType: () => {
            doctype = true;
            return undefined;
          },
          comment: (parent, data) => {
            if (data === END_MARK) closed = parent.node.nodeType === DOCUMENT_NODE;
            // Comments carry nothing a payout needs: they are left out of the tree.
            return undefined;
          },
        },
      },
      `${text.replace(/^\uFEFF/, '')}<!--${END_MARK}-->`,
    );
    root = (document.node as unknown as { documentElement: XmlElement | null }).documentElement;
  } catch {
    throw invalid('not_well_formed');
  }
  if (doctype) throw invalid('doctype');
  if (!closed || !root) throw invalid('not_well_formed');
  return root;
}

/** The child elements of `parent` named `name` in the namespace `namespace`, in document order. */
export function childElements(parent: XmlElement, namespace: string, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (let index = 0; index < parent.childNodes.length; index++) {
    const node = parent.childNodes[index] as XmlElement;
    if (node.nodeType === ELEMENT_NODE && node.localName === name && node.namespaceURI === namespace) {
      found.push(node);
    }
  }
  return found;
}

/** Follows a path of child names ("AmtDtls/TxAmt/Amt"); the first match at each step. */
export function descendant(parent: XmlElement, namespace: string, path: string): XmlElement | undefined {
  let current: XmlElement | undefined = parent;
  for (const name of path.split('/')) {
    if (!current) return undefined;
    current = childElements(current, namespace, name)[0];
  }
  return current;
}

/** An element's text with the surrounding whitespace XML Schema collapses for simple types. */
export function textOf(element: XmlElement | undefined): string | undefined {
  const text = element?.textContent?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** Where a document failed, as element names and positions only: never its values. */
export function invalid(reason: string, where: { element?: string; entry?: number } = {}): AppError {
  return new AppError('BANK_NOTIFICATION_INVALID', {
    reason,
    element: where.element ?? null,
    entry: where.entry ?? null,
  });
}
