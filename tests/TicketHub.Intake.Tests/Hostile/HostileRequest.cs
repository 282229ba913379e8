using System.Globalization;
using System.Text;

namespace TicketHub.Testing.Hostile;

/// <summary>
/// One generated request. It prints as exactly what was sent (control characters and invalid bytes
/// escaped, long bodies cut), so that a failure can be replayed by hand.
/// </summary>
/// <param name="Category">What makes it hostile: <c>wrong-type</c>, <c>invalid-utf8</c>…</param>
/// <param name="Target">Path and query, already percent-encoded.</param>
/// <param name="ContentType">Sent as is (no validation); null sends no <c>Content-Type</c>.</param>
/// <param name="Expected">Statuses the answer must have, when the category decides it; null: any status below 500.</param>
public sealed record HostileRequest(
    string Category,
    HttpMethod Method,
    string Target,
    byte[]? Body = null,
    string? ContentType = null,
    IReadOnlyList<KeyValuePair<string, string>>? Headers = null,
    IReadOnlyCollection<int>? Expected = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, new Uri(Target, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers ?? [])
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"[{Category}] {Method} {Printable(Target, 300)}");
        if (ContentType is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    Content-Type: {Printable(ContentType, 200)}");
        }

        foreach (var (name, value) in Headers ?? [])
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    {name}: {Printable(value, 200)} ({value.Length} chars)");
        }

        if (Body is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    body ({Body.Length} bytes): {PrintableBytes(Body, 600)}");
        }

        return text.ToString();
    }

    /// <summary>Printable ASCII as is, everything else as <c>\uXXXX</c>.</summary>
    public static string Printable(string value, int max)
    {
        var text = new StringBuilder();
        foreach (var c in value.Take(max))
        {
            text.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return value.Length > max ? text.Append(CultureInfo.InvariantCulture, $"…(+{value.Length - max})").ToString() : text.ToString();
    }

    /// <summary>Printable ASCII as is, other bytes as <c>\xNN</c> (so invalid UTF-8 shows).</summary>
    private static string PrintableBytes(byte[] body, int max)
    {
        var text = new StringBuilder();
        foreach (var b in body.Take(max))
        {
            text.Append(b is >= 0x20 and <= 0x7E ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return body.Length > max ? text.Append(CultureInfo.InvariantCulture, $"…(+{body.Length - max} bytes)").ToString() : text.ToString();
    }
}
