using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace TicketHub.Connectors.Shared.Text;

/// <summary>
/// The one conversion between the tools' rich text and the plain text the collège reads, both ways.
/// <list type="bullet">
/// <item><see cref="ToPlainText"/>: what a technician wrote in GLPI's or iTop's editor, parsed by a
/// real HTML parser (AngleSharp), becomes text with its paragraphs, line breaks and lists kept
/// (items as « - », numbered items as « 1. »), scripts, styles and comments dropped, entities decoded.</item>
/// <item><see cref="FromPlainText"/>: what a collège wrote becomes HTML the tools display as written:
/// every character encoded, a blank line a new paragraph, a line break a <c>&lt;br&gt;</c>.</item>
/// </list>
/// A tool that encodes its HTML once more before sending it (GLPI 10: <c>&amp;#60;p&amp;#62;</c>)
/// decodes it first (<see cref="DecodeEncodedHtml"/>).
/// </summary>
public static class ToolHtml
{
    private static readonly HtmlParser Parser = new();

    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "head", "title", "template", "noscript",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol",
        "section", "article", "header", "footer", "address", "figure", "hr", "dl",
    };

    private static readonly HashSet<string> Lines = new(StringComparer.OrdinalIgnoreCase) { "tr", "dt", "dd", "figcaption" };

    /// <summary>Rich text from a tool as plain text: paragraphs separated by a blank line, lines kept, no markup.</summary>
    public static string ToPlainText(string? html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            return "";
        }

        var document = Parser.ParseDocument("<!DOCTYPE html><html><body></body></html>");
        var body = document.Body!;
        body.InnerHtml = html;

        var writer = new PlainTextWriter();
        writer.Write(body);
        return writer.ToString();
    }

    /// <summary>
    /// HTML that a tool encoded once more (GLPI 10 returns <c>&amp;#60;p&amp;#62;Bonjour&amp;#60;/p&amp;#62;</c>
    /// and <c>&amp;lt;p&amp;gt;</c>): decoded once, which gives the HTML the tool itself displays. Text
    /// with tags in clear is returned as it is.
    /// </summary>
    public static string DecodeEncodedHtml(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var encoded = !value.Contains('<', StringComparison.Ordinal)
            && (value.Contains("&#60;", StringComparison.Ordinal) || value.Contains("&lt;", StringComparison.Ordinal)
                || value.Contains("&#38;", StringComparison.Ordinal) || value.Contains("&amp;", StringComparison.Ordinal));
        return encoded ? WebUtility.HtmlDecode(value) : value;
    }

    /// <summary>Plain text as HTML paragraphs, every character encoded: shown by the tool exactly as written.</summary>
    public static string FromPlainText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var html = new StringBuilder(text.Length + 32);
        var paragraphs = text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p>");
            var first = true;
            foreach (var line in paragraph.Split('\n'))
            {
                if (!first)
                {
                    html.Append("<br>");
                }

                html.Append(Encode(line.TrimEnd()));
                first = false;
            }

            html.Append("</p>");
        }

        return html.ToString();
    }

    /// <summary>
    /// A value encoded for HTML text or attribute: only <c>&lt; &gt; &amp; " '</c>, so that accented
    /// letters stay readable in the tool's database and search.
    /// </summary>
    public static string Encode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            _ = c switch
            {
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '&' => builder.Append("&amp;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>Walks the DOM and writes text, with at most one blank line between blocks.</summary>
    private sealed class PlainTextWriter
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private bool _inPre;

        public void Write(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                switch (child)
                {
                    case IText text:
                        WriteText(text.Data);
                        break;
                    case IElement element:
                        WriteElement(element);
                        break;
                }
            }
        }

        public override string ToString() => _text.ToString().Trim();

        private void WriteElement(IElement element)
        {
            var name = element.LocalName;
            if (Invisible.Contains(name))
            {
                return;
            }

            switch (name)
            {
                case "br":
                    Break(1, force: true);
                    return;
                case "li":
                    Break(1);
                    var list = element.ParentElement;
                    if (list is not null && list.LocalName == "ol")
                    {
                        var index = 1 + list.Children.TakeWhile(item => item != element).Count(item => item.LocalName == "li");
                        AppendRaw($"{index}. ");
                    }
                    else
                    {
                        AppendRaw("- ");
                    }

                    Write(element);
                    Break(1);
                    return;
                case "td" or "th":
                    if (element.PreviousElementSibling is not null)
                    {
                        AppendRaw(" | ");
                    }

                    Write(element);
                    return;
                case "img":
                    if (element.GetAttribute("alt") is { Length: > 0 } alt)
                    {
                        WriteText($"[{alt}]");
                    }

                    return;
            }

            if (Blocks.Contains(name))
            {
                Break(2);
                var wasPre = _inPre;
                _inPre |= name == "pre";
                Write(element);
                _inPre = wasPre;
                Break(2);
                return;
            }

            if (Lines.Contains(name))
            {
                Break(1);
                Write(element);
                Break(1);
                return;
            }

            Write(element);
        }

        private void WriteText(string data)
        {
            var value = data.Replace('\u00A0', ' ');
            if (_inPre)
            {
                AppendRaw(value.ReplaceLineEndings("\n"));
                return;
            }

            var collapsed = CollapseSpaces(value);
            if (collapsed.Length == 0)
            {
                return;
            }

            if (collapsed == " ")
            {
                if (_text.Length > 0 && _pendingBreaks == 0 && _text[^1] != ' ' && _text[^1] != '\n')
                {
                    _text.Append(' ');
                }

                return;
            }

            if (_text.Length == 0 || _pendingBreaks > 0 || _text[^1] == '\n')
            {
                collapsed = collapsed.TrimStart();
            }

            AppendRaw(collapsed);
        }

        private void AppendRaw(string value)
        {
            if (value.Length == 0)
            {
                return;
            }

            if (_pendingBreaks > 0 && _text.Length > 0)
            {
                TrimTrailingSpaces();
                _text.Append('\n', _pendingBreaks);
            }

            _pendingBreaks = 0;
            _text.Append(value);
        }

        /// <summary>Asks for <paramref name="count"/> line ends before the next text (1: a new line, 2: a blank line).</summary>
        private void Break(int count, bool force = false)
        {
            if (_text.Length == 0)
            {
                return;
            }

            if (force)
            {
                // <br>: a line end of its own, even after another one (two <br> make a blank line).
                var trailing = 0;
                for (var i = _text.Length - 1; i >= 0 && _text[i] == '\n'; i--)
                {
                    trailing++;
                }

                if (_pendingBreaks + trailing < 2)
                {
                    _pendingBreaks++;
                }

                return;
            }

            _pendingBreaks = Math.Max(_pendingBreaks, count);
        }

        private void TrimTrailingSpaces()
        {
            var end = _text.Length;
            while (end > 0 && _text[end - 1] == ' ')
            {
                end--;
            }

            _text.Length = end;
        }

        private static string CollapseSpaces(string value)
        {
            var builder = new StringBuilder(value.Length);
            var space = false;
            foreach (var c in value)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = true;
                    continue;
                }

                if (space)
                {
                    builder.Append(' ');
                    space = false;
                }

                builder.Append(c);
            }

            if (space)
            {
                builder.Append(' ');
            }

            return builder.ToString();
        }
    }
}
