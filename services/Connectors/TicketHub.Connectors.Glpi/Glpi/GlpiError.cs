using System.Net;
using System.Text.Json;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>
/// GLPI answers an error with a two-element array, <c>["ERROR_GLPI_ADD", "a human message"]</c>,
/// and an HTTP status (400 bad input, 401 session or login, 403 rights, 404 not found...).
/// </summary>
internal sealed record GlpiError(HttpStatusCode Status, string Code, string Message)
{
    public const string SessionTokenInvalid = "ERROR_SESSION_TOKEN_INVALID";

    /// <summary>Reads GLPI's error array; anything else (an HTML page from a proxy...) keeps its start as the message.</summary>
    public static GlpiError From(HttpStatusCode status, string? body)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Array
                    && root.GetArrayLength() > 0
                    && root[0].ValueKind == JsonValueKind.String
                    && root[0].GetString()!.StartsWith("ERROR", StringComparison.Ordinal))
                {
                    var message = root.GetArrayLength() < 2 ? ""
                        : root[1].ValueKind == JsonValueKind.String ? root[1].GetString()!
                        : root[1].GetRawText();
                    return new GlpiError(status, root[0].GetString()!, message);
                }
            }
            catch (JsonException)
            {
                // Not GLPI's error array: fall through and keep the raw text.
            }
        }

        var text = body?.Trim() ?? "";
        return new GlpiError(status, $"HTTP_{(int)status}", text.Length > 300 ? text[..300] : text);
    }

    /// <summary>
    /// True when GLPI refused the request itself (bad input, missing rights, unknown item):
    /// sending it again will not help. 401 (login, session), 408 and 429 are not refusals.
    /// </summary>
    public bool IsRefusal => (int)Status is >= 400 and < 500
        && Status is not (HttpStatusCode.Unauthorized or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);

    public override string ToString() => $"HTTP {(int)Status} {Code}: {Message}";
}
