using System.Text;
using System.Text.Json;

namespace TicketHub.Classifier.Routing;

/// <summary>
/// A JSON value that remembers the line it starts on, so that the rule-set loader can say where a
/// value it rejects is, not only where the syntax breaks (which <see cref="JsonDocument"/> alone
/// would give). Comments (<c>//</c>, <c>/* */</c>) and trailing commas are accepted.
/// </summary>
internal abstract record LinedJson(int Line)
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public abstract string Kind { get; }

    /// <summary>Parses <paramref name="text"/>; a syntax error throws <see cref="JsonException"/> with its 0-based line.</summary>
    public static LinedJson Parse(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var lines = new LineMap(utf8);
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        reader.Read();
        var root = ReadValue(ref reader, lines);
        reader.Read(); // anything after the root value is a syntax error, thrown here
        return root;
    }

    private static LinedJson ReadValue(ref Utf8JsonReader reader, LineMap lines)
    {
        var line = lines.LineOf(reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<LinedProperty>();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    var nameLine = lines.LineOf(reader.TokenStartIndex);
                    reader.Read();
                    properties.Add(new LinedProperty(name, nameLine, ReadValue(ref reader, lines)));
                }

                return new LinedObject(line, properties);
            case JsonTokenType.StartArray:
                var items = new List<LinedJson>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lines));
                }

                return new LinedArray(line, items);
            case JsonTokenType.String:
                return new LinedString(line, reader.GetString()!);
            case JsonTokenType.Number:
                return new LinedNumber(line, reader.TryGetInt32(out var number) ? number : null, Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True or JsonTokenType.False:
                return new LinedBoolean(line, reader.GetBoolean());
            default:
                return new LinedNull(line);
        }
    }

    /// <summary>Byte offset → 1-based line number.</summary>
    private sealed class LineMap
    {
        private readonly List<long> _newlines = [];

        public LineMap(byte[] utf8)
        {
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    _newlines.Add(i);
                }
            }
        }

        public int LineOf(long offset)
        {
            var index = _newlines.BinarySearch(offset);
            return (index < 0 ? ~index : index) + 1;
        }
    }
}

internal sealed record LinedProperty(string Name, int Line, LinedJson Value);

internal sealed record LinedObject(int Line, IReadOnlyList<LinedProperty> Properties) : LinedJson(Line)
{
    public override string Kind => "un objet";
}

internal sealed record LinedArray(int Line, IReadOnlyList<LinedJson> Items) : LinedJson(Line)
{
    public override string Kind => "une liste";
}

internal sealed record LinedString(int Line, string Value) : LinedJson(Line)
{
    public override string Kind => "un texte";
}

/// <param name="Int32">The value when it is a whole number that fits in an int.</param>
internal sealed record LinedNumber(int Line, int? Int32, string Text) : LinedJson(Line)
{
    public override string Kind => "un nombre";
}

internal sealed record LinedBoolean(int Line, bool Value) : LinedJson(Line)
{
    public override string Kind => "un booléen";
}

internal sealed record LinedNull(int Line) : LinedJson(Line)
{
    public override string Kind => "null";
}
