r"""The sandboxed Jinja environment every template is rendered in.

Templates come from third-party packs, so they are untrusted code. They run
in Jinja's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` (no
private attributes, no unsafe callables, no changing of lists or dicts),
tightened further here:

- no attribute access on classes (``dict.mro()``), no ``str.format``;
- no file access: ``include``, ``import``, ``from`` and ``extends`` are
  refused when the template is compiled, and the loader refuses every name;
- only the globals ``range``, ``dict`` and ``namespace`` (``lipsum``,
  ``cycler`` and ``joiner`` are gone);
- bounded work per render: ``*``, ``**``, ``+``, ``%`` and ``~`` refuse
  results above :data:`MAX_VALUE_SIZE` characters or items (or
  :data:`MAX_INT_BITS` bits), ``range`` stops at :data:`MAX_RANGE`, loop
  iterations and calls together stop at :data:`MAX_STEPS`, and printed
  values at :data:`MAX_OUTPUT` characters;
- autoescaping (``Bildung & Jugend`` or ``<Entwurf>`` cannot break the
  document's XML) and :class:`~jinja2.StrictUndefined` (a misspelt variable
  is an error, not an empty gap in a council document);
- every printed text has its line endings normalised (``\r\n`` to
  ``\n``) and the characters XML 1.0 cannot hold removed.

Any failure while compiling or rendering surfaces as a
:class:`jinja2.TemplateError`; :func:`render_text` turns it into a
:class:`~kommunal_digital.errors.TemplateRenderError` naming the template.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NoReturn

import jinja2
from jinja2 import BaseLoader, StrictUndefined, nodes, pass_context
from jinja2.exceptions import SecurityError, TemplateRuntimeError, TemplateSyntaxError
from jinja2.runtime import Context, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace
from markupsafe import Markup

from kommunal_digital.errors import TemplateRenderError
from kommunal_digital.german import FILTERS

if TYPE_CHECKING:
    from types import TracebackType

__all__ = [
    "MAX_INT_BITS",
    "MAX_OUTPUT",
    "MAX_RANGE",
    "MAX_STEPS",
    "MAX_VALUE_SIZE",
    "LINK_SCHEMES",
    "MAX_URL_LENGTH",
    "PICTURE_MM",
    "make_environment",
    "safe_url",
    "hide_block_lines",
    "render_text",
    "strip_xml_forbidden",
    "template_error_message",
]

#: Largest text, list or tuple (characters or items) an expression may build.
MAX_VALUE_SIZE = 1_000_000
#: Largest whole number (in bits) ``*`` and ``**`` may produce.
MAX_INT_BITS = 10_000
#: Longest ``range()`` a template may ask for.
MAX_RANGE = 100_000
#: Loop iterations and calls one render may make.
MAX_STEPS = 200_000
#: Characters the ``{{ ... }}`` expressions of one render may print.
MAX_OUTPUT = 20_000_000

# Characters XML 1.0 (and so Word) cannot hold: C0 controls except tab, line
# feed and carriage return, lone surrogates and the two non-characters. The
# same set the model refuses (model/checks.py).
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_FORBIDDEN_BUT_BREAKS = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A %-conversion with a width or precision: the numbers that make it big.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FILE_TAGS: dict[type[nodes.Node], str] = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from ... import",
}
_ITERATE = "_kd_iterate"
_SIZED = "_kd_sized"


def strip_xml_forbidden(text: str, *, keep_breaks: bool = False) -> str:
    """Remove the characters XML 1.0 cannot hold.

    These are the C0 controls except tab, line feed and carriage return, lone
    surrogates, U+FFFE and U+FFFF. Markup stays markup.

    Args:
        text: The text.
        keep_breaks: Keep bell (U+0007) and form feed (U+000C), which the
            Word renderer turns into a new paragraph and a page break
            before the XML is parsed.
    """
    pattern = _XML_FORBIDDEN_BUT_BREAKS if keep_breaks else _XML_FORBIDDEN
    if not pattern.search(text):
        return text
    cleaned = pattern.sub("", text)
    return Markup(cleaned) if isinstance(text, Markup) else cleaned


_BREAKS = re.compile("[\a\f]")


def _clean(value: object, *, keep_breaks: bool = False) -> object:
    if isinstance(value, str):
        if not keep_breaks and ("\a" in value or "\f" in value):
            # Bell (new paragraph) and form feed (new page) are breaks in
            # docxtpl's Listing; where a format has no such break they
            # become line breaks instead of gluing the words together.
            broken = _BREAKS.sub("\n", value)
            value = Markup(broken) if isinstance(value, Markup) else broken
        # Forbidden characters go first: "\r\x00\n" is one line break, not two.
        value = strip_xml_forbidden(value, keep_breaks=keep_breaks)
        if "\r" in value:
            normalised = value.replace("\r\n", "\n").replace("\r", "\n")
            value = Markup(normalised) if isinstance(value, Markup) else normalised
    return value


class _RenderContext(Context):
    """The context of one render, carrying its work budget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kd_steps = 0
        self.kd_output = 0


def _step(context: object) -> None:
    if isinstance(context, _RenderContext):
        context.kd_steps += 1
        if context.kd_steps > MAX_STEPS:
            raise SecurityError(
                f"the template makes more than {MAX_STEPS:,} loop iterations and calls"
            )


def _size(value: object, depth: int = 0) -> int:
    """Characters or items a value holds (nested lists counted through)."""
    if isinstance(value, str | bytes | bytearray):
        return len(value)
    if isinstance(value, list | tuple) and depth < 3:
        return len(value) + sum(_size(item, depth + 1) for item in value)
    return 1


def _refuse_size(size: int, what: str) -> None:
    if size > MAX_VALUE_SIZE:
        raise SecurityError(
            f"{what} would hold {size:,} characters or items; at most {MAX_VALUE_SIZE:,}"
        )


def _check_int_bits(bits: float, what: str) -> None:
    if bits > MAX_INT_BITS:
        raise SecurityError(
            f"{what} would be a number of about {bits:,.0f} bits; at most {MAX_INT_BITS:,}"
        )


def _check_percent(spec: str) -> None:
    for match in _PERCENT_SPEC.finditer(spec):
        for number in match.groups():
            if number == "*" or (number is not None and int(number) > MAX_VALUE_SIZE):
                raise SecurityError(f"the %-format {match.group()!r} is too wide")


def _binop_size(operator: str, left: Any, right: Any) -> None:
    """Refuse an operation whose result would be too big, before computing it."""
    sequence = (str, bytes, bytearray, list, tuple)
    if operator == "*":
        if isinstance(left, int) and isinstance(right, sequence):
            left, right = right, left
        if isinstance(left, sequence) and isinstance(right, int):
            _refuse_size(_size(left) * max(right, 0), "'*'")
        elif isinstance(left, int) and isinstance(right, int):
            _check_int_bits(left.bit_length() + right.bit_length(), "'*'")
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            _check_int_bits(right * left.bit_length(), "'**'")
    elif operator == "+":
        if isinstance(left, sequence) and isinstance(right, sequence):
            _refuse_size(_size(left) + _size(right), "'+'")
    elif operator == "%" and isinstance(left, str | bytes | bytearray):
        _check_percent(left if isinstance(left, str) else bytes(left).decode("latin-1"))


#: Methods of text (``str``, ``bytes``) whose result is at most a small
#: multiple of the text itself; any other method is refused, and those that
#: can grow without bound (:data:`_GROWING_METHODS`) are estimated first.
_TEXT_METHODS = frozenset(
    {
        "capitalize", "casefold", "count", "decode", "encode", "endswith", "find", "hex",
        "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier",
        "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "lower",
        "lstrip", "partition", "removeprefix", "removesuffix", "rfind", "rindex",
        "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
        "swapcase", "title", "upper",
    }
)  # fmt: skip
_GROWING_METHODS = frozenset(
    {"center", "expandtabs", "join", "ljust", "replace", "rjust", "translate", "zfill"}
)
_TEXT = (str, bytes, bytearray)


def _length(value: object) -> int:
    return len(value) if isinstance(value, str | bytes | bytearray) else len(str(value))


def _translation_growth(table: object) -> int:
    """The most characters one character can become under a ``translate`` table."""
    if not isinstance(table, Mapping):
        return 1  # a bytes table maps each byte to one byte
    longest = 1
    for value in table.values():
        if isinstance(value, str | bytes):
            longest = max(longest, len(value))
    return longest


def _estimate(name: str, target: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Size of the result of a filter or text method that can amplify its input."""
    if not isinstance(target, str | bytes | bytearray | list | tuple):
        return 0
    width = next(iter([*args, *kwargs.values()]), 0)
    if name == "translate" and isinstance(target, _TEXT) and args:
        return len(target) * _translation_growth(args[0])
    if name == "replace" and len(args) >= 2 and isinstance(target, _TEXT):
        old, new = args[0], args[1]
        if isinstance(target, str):
            old, new = str(old), str(new)
        hits = target.count(old) if old else len(target) + 1
        return len(target) + hits * max(_length(new) - _length(old), 0)
    if name == "join":
        return _size(target) + len(target) * len(str(args[0] if args else ""))
    if name in ("center", "ljust", "rjust", "zfill", "batch", "slice") and isinstance(width, int):
        return _size(target) + width
    if name == "indent" and isinstance(target, str):
        step = width if isinstance(width, int) else len(str(width))
        return len(target) + (target.count("\n") + 1) * step
    if name == "expandtabs" and isinstance(target, str) and isinstance(width, int):
        return len(target) * max(width, 1)
    if name == "wordwrap" and isinstance(target, str):
        wrap = kwargs.get("wrapstring", args[2] if len(args) > 2 else "\n")
        line = width if isinstance(width, int) and width > 0 else 1
        return len(target) + (len(target) // line + 1) * len(str(wrap or "\n"))
    return 0


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a filter so it cannot build a value above :data:`MAX_VALUE_SIZE`."""
    passes = getattr(func, "jinja_pass_arg", None) is not None

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        value, rest = (args[1], args[2:]) if passes else (args[0], args[1:])
        if name == "format" and isinstance(value, str):
            _check_percent(value)
        _refuse_size(_estimate(name, value, rest, kwargs), f"the filter {name!r}")
        result = func(*args, **kwargs)
        if isinstance(result, str | list | tuple):
            _refuse_size(_size(result), f"the filter {name!r}")
        return result

    return bounded


@pass_context
def _iterate(context: Context, iterable: Any) -> Any:
    """Count every loop iteration against the render's budget."""
    if isinstance(iterable, Undefined):
        return iterable  # iterating it raises the usual undefined error
    return _Counted(context, iterable)


class _Counted:
    """An iterable that charges each item to a render's budget."""

    __slots__ = ("_context", "_iterable")

    def __init__(self, context: Context, iterable: Iterable[Any]) -> None:
        self._context = context
        self._iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        for item in self._iterable:
            _step(self._context)
            yield item

    def __len__(self) -> int:
        return len(self._iterable)  # type: ignore[arg-type]  # TypeError makes Jinja count by hand


@pass_context
def _sized(context: Context, value: Any) -> Any:
    """Refuse a ``~`` concatenation that grew too big."""
    _refuse_size(_size(value), "'~'")
    return value


def _safe_range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise SecurityError(f"range() of {len(result):,} numbers; at most {MAX_RANGE:,}")
    return result


class _BoundedNamespace(Namespace):
    """``namespace()`` whose attributes cannot grow beyond the value limit."""

    def __setitem__(self, name: str, value: Any) -> None:
        _refuse_size(_size(value), f"namespace attribute {name!r}")
        super().__setitem__(name, value)


class _NoFiles(BaseLoader):
    """A loader that refuses every template name: templates read no files."""

    def get_source(self, environment: jinja2.Environment, template: str) -> NoReturn:
        raise SecurityError(f"templates cannot load other templates ({template!r} refused)")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The project's sandbox: see the module documentation."""

    context_class = _RenderContext
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, type):
            return False  # dict.mro(), namespace.__init__, ...: classes are off limits
        if isinstance(obj, str) and attr in ("format", "format_map"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is refused in is_safe_attribute

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _binop_size(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(
        __self,  # noqa: N805  # Jinja's signature: the prefixes avoid clashes with kwargs
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        _step(__context)
        target = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(target, _TEXT) and name not in _TEXT_METHODS | _GROWING_METHODS:
            raise SecurityError(f"the text method {name}() is not available in templates")
        if name == "join" and isinstance(target, _TEXT) and args:
            _refuse_size(_estimate(name, args[0], (target,), {}), "join()")
        elif isinstance(target, (*_TEXT, list, tuple)):
            _refuse_size(_estimate(name, target, args, kwargs), f"{name}()")
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(result, (*_TEXT, list, tuple)):
            _refuse_size(_size(result), f"{name or 'the call'}()")
        return result

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _guard(tree)
        return tree

    def handle_exception(self, source: str | None = None) -> NoReturn:
        error = sys.exc_info()[1]
        if isinstance(error, jinja2.TemplateError):
            super().handle_exception(source)
        # A Python error inside the template (1/0, a filter given the wrong
        # type, endless recursion): report it as a template error, with the
        # template line, instead of a traceback from inside Jinja.
        try:
            super().handle_exception(source)
        except Exception as rewritten:
            failure = _TemplateFailureError(f"{type(error).__name__}: {error}")
            failure.lineno = _template_line(rewritten.__traceback__)
            raise failure from None


class _TemplateFailureError(TemplateRuntimeError):
    """A Python error raised while a template ran, with the template line."""

    lineno: int | None = None


class _LocatedSecurityError(SecurityError):
    """A refusal found when compiling, with the template line."""

    lineno: int | None = None


def _template_line(traceback: TracebackType | None) -> int | None:
    """The template line of the innermost template frame of a rewritten traceback."""
    line = None
    while traceback is not None:
        # Jinja's rewritten tracebacks carry frames that stand for template lines.
        if "__jinja_exception__" in traceback.tb_frame.f_globals:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def _guard(tree: nodes.Template) -> None:
    """Refuse file access and route loops and ``~`` through the budget checks."""
    everything = [tree, *tree.find_all(nodes.Node)]
    for node in everything:
        for kind, tag in _FILE_TAGS.items():
            if isinstance(node, kind):
                refusal = _LocatedSecurityError(
                    f"{{% {tag} %}} is not allowed: templates cannot read other templates or files"
                )
                refusal.lineno = node.lineno
                raise refusal
    for node in everything:
        for field in node.fields:
            child = getattr(node, field, None)
            if isinstance(child, nodes.Concat):
                setattr(node, field, _wrap(child, _SIZED))
            elif isinstance(child, list):
                child[:] = [_wrap(c, _SIZED) if isinstance(c, nodes.Concat) else c for c in child]
        if isinstance(node, nodes.For):
            node.iter = _wrap(node.iter, _ITERATE)


def _wrap(node: nodes.Node, filter_name: str) -> nodes.Expr:
    return nodes.Filter(node, filter_name, [], [], None, None, lineno=node.lineno)


#: Schemes the ``link`` filter makes links for; any other value is printed as text.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: Longest address the ``link`` filter links.
MAX_URL_LENGTH = 2_000
#: Smallest and largest side (millimetres) the ``bild`` filter accepts.
PICTURE_MM = (1.0, 500.0)
_URL_REFUSED = re.compile(r"[\x00-\x20\x7f<>\"\\`{}|^]")


def safe_url(value: object) -> str | None:
    """The address if the ``link`` filter may link it, else ``None``.

    Allowed are absolute ``http``, ``https`` and ``mailto`` addresses of at
    most :data:`MAX_URL_LENGTH` characters without blanks, control
    characters, quotes or angle brackets.
    """
    from urllib.parse import urlsplit  # lazy: rarely needed

    if not isinstance(value, str) or not value or len(value) > MAX_URL_LENGTH:
        return None
    if _URL_REFUSED.search(value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINK_SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    if parts.scheme.lower() == "mailto" and "@" not in parts.path:
        return None
    return value


def _plain_link(url: str | None, label: str) -> object:
    """The ``link`` filter of formats without links: the text alone."""
    return label


def _link_filter(
    make: Callable[[str | None, str], object],
) -> Callable[..., object]:
    def link(value: object, text: object = None) -> object:
        """Make ``value`` a link (http, https, mailto) showing ``text`` (default: the address)."""
        if isinstance(value, Undefined) or value is None:
            raise TemplateRuntimeError("link: no address given (the value is empty)")
        label = str(value) if text is None or isinstance(text, Undefined) else str(text)
        return make(safe_url(value), label)

    return link


def _bild(picture: object, breite_mm: object = None, hoehe_mm: object = None) -> object:
    """Place a picture from ``images`` with a width and/or height in millimetres."""
    sized = getattr(picture, "sized", None)
    if sized is None or not callable(sized):
        raise TemplateRuntimeError(
            "bild: expects a picture from images (e.g. images.logo|bild(hoehe_mm=15))"
        )
    sides: list[float | None] = []
    for label, side in (("breite_mm", breite_mm), ("hoehe_mm", hoehe_mm)):
        if side is None:
            sides.append(None)
            continue
        if isinstance(side, bool) or not isinstance(side, int | float):
            raise TemplateRuntimeError(f"bild: {label} must be a number of millimetres")
        if not PICTURE_MM[0] <= side <= PICTURE_MM[1]:
            raise TemplateRuntimeError(
                f"bild: {label}={side} is outside {PICTURE_MM[0]:g}..{PICTURE_MM[1]:g} mm"
            )
        sides.append(float(side))
    return sized(sides[0], sides[1])


def make_environment(
    *,
    finalize: Callable[[object], object] | None = None,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    links: Callable[[str | None, str], object] | None = None,
    keep_breaks: bool = False,
) -> ImmutableSandboxedEnvironment:
    """Build a new sandboxed, autoescaping environment with the German filters.

    Args:
        finalize: Applied to every printed value after its line endings are
            normalised and the characters XML cannot hold are removed.
            Return :class:`markupsafe.Markup` to bypass the HTML escaping
            (for example to escape for another format yourself).
        filters: More filters by name (from plugins, see
            :class:`~kommunal_digital.workspace.TemplateFilter`), bounded
            like the built-in ones. A name the environment has already is
            refused.
        links: Makes what the ``link`` filter prints from a safe address
            (``None`` when the value is not one, see :func:`safe_url`) and
            the text to show. By default the text alone.
        keep_breaks: Print bell and form feed characters as they are (the
            Word renderer makes them a new paragraph and a page break);
            otherwise they become line breaks.

    Raises:
        TemplateRenderError: A filter has the name of a built-in one or a
            name that is not an identifier.

    Returns:
        A new environment; environments share nothing.
    """

    @pass_context
    def finish(context: Context, value: object) -> object:
        value = _clean(value, keep_breaks=keep_breaks)
        if finalize is not None:
            value = finalize(value)
        if isinstance(value, str) and isinstance(context, _RenderContext):
            context.kd_output += len(value)
            if context.kd_output > MAX_OUTPUT:
                raise SecurityError(f"the template prints more than {MAX_OUTPUT:,} characters")
        return value

    env = _Sandbox(
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=finish,
        loader=_NoFiles(),
    )
    env.globals = {"range": _safe_range, "dict": dict, "namespace": _BoundedNamespace}
    env.filters.update(FILTERS)
    env.filters["bild"] = _bild
    env.filters["link"] = _link_filter(links or _plain_link)
    for name, func in (filters or {}).items():
        if not name.isidentifier() or name.startswith("_"):
            raise TemplateRenderError(f"template filter {name!r}: not a valid filter name")
        if name in env.filters:
            raise TemplateRenderError(
                f"template filter {name!r}: a built-in filter has that name already"
            )
        env.filters[name] = func
    env.filters = {name: _bounded_filter(name, func) for name, func in env.filters.items()}
    env.filters[_ITERATE] = _iterate
    env.filters[_SIZED] = _sized
    return env


def template_error_message(name: str, error: jinja2.TemplateError, *, line: bool = True) -> str:
    """Describe a Jinja error as ``"<name>: <what went wrong>"``.

    Args:
        name: The template's name (a file name).
        error: The error Jinja raised.
        line: Whether to add the template line, where Jinja knows it.
    """
    lineno = getattr(error, "lineno", None) or _template_line(error.__traceback__)
    where = f" (line {lineno})" if line and lineno else ""
    if isinstance(error, TemplateSyntaxError):
        return f"{name}: template syntax error{where}: {error.message}"
    if isinstance(error, jinja2.UndefinedError):
        return (
            f"{name}: the template uses a variable the render context does not have{where}: "
            f"{error.message}"
        )
    if isinstance(error, SecurityError):
        return f"{name}: refused by the sandbox{where}: {error}"
    if isinstance(error, _TemplateFailureError):
        return f"{name}: the template failed{where}: {error}"
    return f"{name}: {error}{where}"


_BLOCK_LINE = re.compile(r"^([ \t]*)((?:\{%.*?%\}|\{#.*?#\})+)([ \t]*)\n", re.MULTILINE)


def hide_block_lines(source: str) -> str:
    """Make each line that holds only block tags or comments vanish from the output.

    Unlike Jinja's ``trim_blocks``, which also swallows the line break after
    a tag that ends a line of text (``- {{ x }}{% endif %}``), only lines
    with nothing but tags are affected. Their indentation and line break
    are moved into comments, so line numbers in error messages stay those
    of the file.
    """
    return _BLOCK_LINE.sub(r"{#\1#}\2{#\3\n#}", source)


def render_text(
    source: str,
    context: Mapping[str, Any],
    *,
    name: str,
    finalize: Callable[[object], object] | None = None,
    block_lines: bool = False,
    filters: Mapping[str, Callable[..., Any]] | None = None,
    links: Callable[[str | None, str], object] | None = None,
) -> str:
    """Render a text template (Markdown, HTML, plain text) in the sandbox.

    Args:
        source: The template text.
        context: The render context.
        name: The template's name for error messages, e.g. its file name.
        finalize: Applied to every printed value, see :func:`make_environment`.
        block_lines: A line holding only block tags or comments
            (``{% for %}``, ``{% endif %}``, ``{# … #}``) leaves no trace in
            the output, as line-based formats such as Markdown tables need;
            see :func:`hide_block_lines`.
        filters: More filters by name, see :func:`make_environment`.
        links: What the ``link`` filter prints, see :func:`make_environment`.

    Returns:
        The rendered text.

    Raises:
        TemplateRenderError: The template has a syntax error, uses a
            variable the context lacks, tries something the sandbox refuses
            (private attributes, other files, too much work) or fails in any
            other way. The message names ``name`` and, where known, the line.
    """
    env = make_environment(finalize=finalize, filters=filters, links=links)
    if block_lines:
        source = hide_block_lines(source)
    try:
        code = env.compile(source, name=name)
        template = env.template_class.from_code(env, code, env.make_globals(None), None)
        return template.render(dict(context))
    except jinja2.TemplateError as exc:
        raise TemplateRenderError(template_error_message(name, exc)) from None
