using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketHub.Sandbox.Itop;

/// <summary>
/// The part of iTop's OQL the sandbox understands: <c>SELECT UserRequest|Incident|Ticket|Attachment [AS alias] [WHERE …]</c>
/// with <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;=</c>, <c>[NOT] LIKE</c> (<c>%</c>, <c>_</c>),
/// <c>[NOT] IN (…)</c>, <c>AND</c>, <c>OR</c>, <c>NOT</c> and parentheses, on the attributes of
/// <see cref="ItopObjects"/>. Values compare as numbers when both sides are numbers, else as text
/// (dates are <c>yyyy-MM-dd HH:mm:ss</c> text, so text order is time order); an empty value (a
/// date never set) matches nothing, as SQL's NULL.
/// </summary>
internal sealed partial class ItopOql
{
    private readonly Func<Func<string, string?>, bool> _condition;

    private ItopOql(string className, Func<Func<string, string?>, bool> condition)
    {
        ClassName = className;
        _condition = condition;
    }

    /// <summary>The class selected: <c>UserRequest</c> or <c>Attachment</c>.</summary>
    public string ClassName { get; }

    /// <summary>Parses <paramref name="oql"/>; throws <see cref="FormatException"/> with the reason.</summary>
    public static ItopOql Parse(string oql) => new Parser(oql).Query();

    /// <summary>Whether the object whose attribute values <paramref name="value"/> gives matches the query.</summary>
    public bool Matches(Func<string, string?> value) => _condition(value);

    private sealed class Parser
    {
        private readonly List<(string Kind, string Text)> _tokens;
        private int _position;
        private string? _alias;
        private string _className = "UserRequest";

        public Parser(string oql) => _tokens = Tokenize(oql);

        public ItopOql Query()
        {
            Expect("SELECT");
            var className = Identifier();
            if (className is not (ItopClassNames.UserRequest or ItopClassNames.Incident or ItopClassNames.Ticket or "Attachment"))
            {
                throw new FormatException($"Unknown class '{className}' (the sandbox emulates UserRequest, Incident, Ticket and Attachment only)");
            }

            _className = className;
            _alias = className;
            if (AcceptKeyword("AS") || (Peek().Kind == "name" && !IsKeyword(Peek().Text, "WHERE")))
            {
                _alias = Identifier();
            }

            Func<Func<string, string?>, bool> condition = _ => true;
            if (AcceptKeyword("WHERE"))
            {
                condition = Or();
            }

            if (Peek().Kind != "end")
            {
                throw new FormatException($"Unexpected '{Peek().Text}' at the end of the query");
            }

            return new ItopOql(_className, condition);
        }

        private Func<Func<string, string?>, bool> Or()
        {
            var left = And();
            while (AcceptKeyword("OR"))
            {
                var (first, second) = (left, And());
                left = value => first(value) || second(value);
            }

            return left;
        }

        private Func<Func<string, string?>, bool> And()
        {
            var left = Unary();
            while (AcceptKeyword("AND"))
            {
                var (first, second) = (left, Unary());
                left = value => first(value) && second(value);
            }

            return left;
        }

        private Func<Func<string, string?>, bool> Unary()
        {
            if (AcceptKeyword("NOT"))
            {
                var inner = Unary();
                return value => !inner(value);
            }

            if (Accept("("))
            {
                var inner = Or();
                Expect(")");
                return inner;
            }

            return Comparison();
        }

        private Func<Func<string, string?>, bool> Comparison()
        {
            var field = Field();
            var negated = AcceptKeyword("NOT");
            if (AcceptKeyword("LIKE"))
            {
                var pattern = Like(Literal());
                return value => value(field) is { Length: > 0 } text && pattern.IsMatch(text) != negated;
            }

            if (AcceptKeyword("IN"))
            {
                Expect("(");
                var candidates = new List<string> { Literal() };
                while (Accept(","))
                {
                    candidates.Add(Literal());
                }

                Expect(")");
                return value => value(field) is { Length: > 0 } text && candidates.Exists(candidate => Compare(text, candidate) == 0) != negated;
            }

            if (negated)
            {
                throw new FormatException("NOT must be followed by LIKE or IN here");
            }

            var op = Next();
            if (op.Kind != "op" || op.Text is "(" or ")" or ",")
            {
                throw new FormatException($"Expected a comparison operator after '{field}', found '{op.Text}'");
            }

            var literal = Literal();
            if (IsDate(field) && !DateTime.TryParseExact(literal, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                // iTop does not check a date literal: MySQL reads 'garbage' as the zero date, so
                // "last_update >= 'garbage'" matches every ticket.
                literal = "0000-00-00 00:00:00";
            }

            Func<int, bool> test = op.Text switch
            {
                "=" => order => order == 0,
                "!=" or "<>" => order => order != 0,
                "<" => order => order < 0,
                "<=" => order => order <= 0,
                ">" => order => order > 0,
                ">=" => order => order >= 0,
                _ => throw new FormatException($"Unknown operator '{op.Text}'"),
            };
            return value => value(field) is { Length: > 0 } text && test(Compare(text, literal));
        }

        private string Field()
        {
            var name = Identifier();
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot >= 0)
            {
                var prefix = name[..dot];
                if (prefix != _alias && prefix != _className)
                {
                    throw new FormatException($"Unknown class alias '{prefix}'");
                }

                name = name[(dot + 1)..];
            }

            var known = _className == "Attachment"
                ? ItopAttachments.IsSearchable(name)
                : ItopObjects.IsAttribute(_className, name) && name is not ("public_log" or "private_log");
            if (!known)
            {
                throw new FormatException($"Unknown attribute '{name}' of class '{_className}'");
            }

            return name;
        }

        private string Literal()
        {
            var token = Next();
            return token.Kind is "string" or "number"
                ? token.Text
                : throw new FormatException($"Expected a value, found '{token.Text}'");
        }

        private string Identifier()
        {
            var token = Next();
            return token.Kind == "name" ? token.Text : throw new FormatException($"Expected a name, found '{token.Text}'");
        }

        private (string Kind, string Text) Peek() => _tokens[_position];

        private (string Kind, string Text) Next() => _tokens[_position < _tokens.Count - 1 ? _position++ : _position];

        private bool Accept(string op)
        {
            if (Peek() is ("op", var text) && text == op)
            {
                _position++;
                return true;
            }

            return false;
        }

        private bool AcceptKeyword(string keyword)
        {
            if (Peek() is ("name", var text) && IsKeyword(text, keyword))
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(string symbol)
        {
            if (!(symbol.All(char.IsLetter) ? AcceptKeyword(symbol) : Accept(symbol)))
            {
                throw new FormatException($"Expected '{symbol}', found '{Peek().Text}'");
            }
        }

        private static bool IsKeyword(string text, string keyword) => text.Equals(keyword, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Numbers as numbers, everything else as text without regard to case (MySQL's default collation).</summary>
    private static bool IsDate(string field) => field is "last_update" || field.EndsWith("_date", StringComparison.Ordinal);

    private static int Compare(string left, string right) =>
        decimal.TryParse(left, NumberStyles.Number, CultureInfo.InvariantCulture, out var l)
        && decimal.TryParse(right, NumberStyles.Number, CultureInfo.InvariantCulture, out var r)
            ? l.CompareTo(r)
            : string.Compare(left, right, StringComparison.OrdinalIgnoreCase);

    private static Regex Like(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }

    private static List<(string Kind, string Text)> Tokenize(string oql)
    {
        var tokens = new List<(string, string)>();
        for (var i = 0; i < oql.Length;)
        {
            var c = oql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                var text = new StringBuilder();
                for (i++; ; i++)
                {
                    if (i >= oql.Length)
                    {
                        throw new FormatException("Unterminated string");
                    }

                    if (oql[i] == '\\' && i + 1 < oql.Length)
                    {
                        text.Append(oql[++i]);
                    }
                    else if (oql[i] == c)
                    {
                        i++;
                        break;
                    }
                    else
                    {
                        text.Append(oql[i]);
                    }
                }

                tokens.Add(("string", text.ToString()));
            }
            else if (Number().Match(oql, i) is { Success: true } number && number.Index == i)
            {
                tokens.Add(("number", number.Value));
                i += number.Length;
            }
            else if (Name().Match(oql, i) is { Success: true } name && name.Index == i)
            {
                tokens.Add(("name", name.Value));
                i += name.Length;
            }
            else
            {
                var op = new[] { "<=", ">=", "!=", "<>", "=", "<", ">", "(", ")", "," }
                    .FirstOrDefault(candidate => string.CompareOrdinal(oql, i, candidate, 0, candidate.Length) == 0)
                    ?? throw new FormatException($"Unexpected character '{c}' at position {i}");
                tokens.Add(("op", op));
                i += op.Length;
            }
        }

        tokens.Add(("end", "end of the query"));
        return tokens;
    }

    [GeneratedRegex(@"\G-?\d+(\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();

    [GeneratedRegex(@"\G[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?", RegexOptions.CultureInvariant)]
    private static partial Regex Name();
}
