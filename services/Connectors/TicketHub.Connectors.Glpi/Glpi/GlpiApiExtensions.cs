using System.Globalization;
using System.Net;
using Refit;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>Queries built on <see cref="IGlpiApi"/> that need more than one call or GLPI's conventions.</summary>
internal static class GlpiApiExtensions
{
    private const int PageSize = 50;

    /// <summary>GLPI search option ids of Ticket.</summary>
    public static class TicketField
    {
        public const int Name = 1;
        public const int Id = 2;
        public const int Status = 12;
        public const int DateMod = 19;
    }

    /// <summary>
    /// The ticket whose <c>externalid</c> is exactly <paramref name="externalId"/>, or null. GLPI's
    /// searchText is a LIKE ("TH-1" also finds "TH-10"), so this pages through the candidates.
    /// </summary>
    public static async Task<GlpiTicket?> FindTicketByExternalIdAsync(this IGlpiApi glpi, string externalId, CancellationToken cancellationToken)
    {
        for (var start = 0; ; start += PageSize)
        {
            using var response = await glpi.ListTicketsByExternalIdAsync(externalId, $"{start}-{start + PageSize - 1}", cancellationToken);
            await response.EnsureSuccessStatusCodeAsync();
            var page = response.Content ?? [];
            var match = page.Find(ticket => string.Equals(ticket.ExternalId, externalId, StringComparison.Ordinal));
            if (match is not null)
            {
                return match;
            }

            if (response.StatusCode != HttpStatusCode.PartialContent
                || page.Count == 0
                || !TryReadTotal(response, out var total)
                || start + PageSize >= total)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Tickets modified strictly after <paramref name="since"/>, oldest change first, with the id,
    /// status and date_mod columns. GLPI compares dates in its own time zone.
    /// </summary>
    public static async Task<GlpiSearchResult> SearchTicketsModifiedSinceAsync(
        this IGlpiApi glpi, DateTimeOffset since, TimeZoneInfo glpiTimeZone, int start, int count, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>
        {
            ["criteria[0][field]"] = TicketField.DateMod.ToString(CultureInfo.InvariantCulture),
            ["criteria[0][searchtype]"] = "morethan",
            ["criteria[0][value]"] = ToGlpiDate(since, glpiTimeZone),
            ["forcedisplay[0]"] = TicketField.Id.ToString(CultureInfo.InvariantCulture),
            ["forcedisplay[1]"] = TicketField.Status.ToString(CultureInfo.InvariantCulture),
            ["forcedisplay[2]"] = TicketField.DateMod.ToString(CultureInfo.InvariantCulture),
            ["sort"] = TicketField.DateMod.ToString(CultureInfo.InvariantCulture),
            ["order"] = "ASC",
            ["range"] = $"{start}-{start + count - 1}",
        };
        using var response = await glpi.SearchTicketsAsync(parameters, cancellationToken);
        await response.EnsureSuccessStatusCodeAsync();
        return response.Content ?? new GlpiSearchResult();
    }

    /// <summary>GLPI writes and reads dates as <c>yyyy-MM-dd HH:mm:ss</c> in its server's time zone.</summary>
    public static string ToGlpiDate(DateTimeOffset value, TimeZoneInfo glpiTimeZone) =>
        TimeZoneInfo.ConvertTime(value, glpiTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static DateTimeOffset FromGlpiDate(string value, TimeZoneInfo glpiTimeZone)
    {
        var local = DateTime.ParseExact(value, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, glpiTimeZone.GetUtcOffset(local));
    }

    /// <summary>Reads the total of <c>Content-Range: start-end/total</c>.</summary>
    private static bool TryReadTotal(IApiResponse response, out int total)
    {
        total = 0;
        // GLPI's "start-end/total" is not the HTTP "bytes ..." syntax: read it unvalidated, from
        // whichever collection HttpClient filed it in.
        var header = response.ContentHeaders?.NonValidated.TryGetValues("Content-Range", out var values) == true
            || response.Headers?.NonValidated.TryGetValues("Content-Range", out values) == true
            ? values.ToString()
            : null;
        var slash = header?.LastIndexOf('/') ?? -1;
        return header is not null && slash >= 0
            && int.TryParse(header.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out total);
    }
}
