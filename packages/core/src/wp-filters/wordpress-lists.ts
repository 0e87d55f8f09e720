/** WordPress's `$allowedentitynames` (wp-includes/kses.php, WordPress 6.1). */
export const ALLOWED_ENTITY_NAMES: ReadonlySet<string> = new Set(
  `
  nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn
  acute micro para middot cedil ordm raquo iquest Agrave Aacute Acirc Atilde Auml Aring AElig
  Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde
  Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml
  aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute
  ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml quot amp lt gt apos
  OElig oelig Scaron scaron Yuml circ tilde ensp emsp thinsp zwnj zwj lrm rlm ndash mdash lsquo
  rsquo sbquo ldquo rdquo bdquo dagger Dagger permil lsaquo rsaquo euro fnof Alpha Beta Gamma
  Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho Sigma Tau Upsilon Phi
  Chi Psi Omega alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron
  pi rho sigmaf sigma tau upsilon phi chi psi omega thetasym upsih piv bull hellip prime Prime
  oline frasl weierp image real trade alefsym larr uarr rarr darr harr crarr lArr uArr rArr dArr
  hArr forall part exist empty nabla isin notin ni prod sum minus lowast radic prop infin ang and
  or cap cup int sim cong asymp ne equiv le ge sub sup nsub sube supe oplus otimes perp sdot
  lceil rceil lfloor rfloor lang rang loz spades clubs hearts diams sup1 sup2 sup3 frac14 frac12
  frac34 there4`
    .trim()
    .split(/\s+/),
);

/**
 * The entity names PHP's `htmlspecialchars()` (HTML 4.01 table) leaves alone when it does not
 * double-encode: all of WordPress's list but `apos`, which HTML 4.01 lacks.
 */
export const HTML401_ENTITY_NAMES: ReadonlySet<string> = new Set(
  [...ALLOWED_ENTITY_NAMES].filter((name) => name !== 'apos'),
);

/** WordPress's `$allowedtags`: what a reader's comment may contain, element to attributes. */
export const ALLOWED_TAGS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    a: ['href', 'title'],
    abbr: ['title'],
    acronym: ['title'],
    b: [],
    blockquote: ['cite'],
    cite: [],
    code: [],
    del: ['datetime'],
    em: [],
    i: [],
    q: ['cite'],
    s: [],
    strike: [],
    strong: [],
  }).map(([tag, attributes]) => [tag, new Set(attributes)]),
);

/** `wp_allowed_protocols()`. */
export const ALLOWED_PROTOCOLS: readonly string[] = [
  'http',
  'https',
  'ftp',
  'ftps',
  'mailto',
  'news',
  'irc',
  'irc6',
  'ircs',
  'gopher',
  'nntp',
  'feed',
  'telnet',
  'mms',
  'rtsp',
  'sms',
  'svn',
  'tel',
  'fax',
  'xmpp',
  'webcal',
  'urn',
];

/** `wp_kses_uri_attributes()`: attributes whose value is checked for a bad protocol. */
export const URI_ATTRIBUTES: ReadonlySet<string> = new Set([
  'action',
  'archive',
  'background',
  'cite',
  'classid',
  'codebase',
  'data',
  'formaction',
  'href',
  'icon',
  'longdesc',
  'manifest',
  'poster',
  'profile',
  'src',
  'usemap',
  'xmlns',
]);
