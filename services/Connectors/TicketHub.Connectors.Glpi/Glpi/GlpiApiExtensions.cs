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

        /// <summary>Number of follow-ups the API account may see (a count, from ITILFollowup's options).</summary>
        public const int FollowupCount = 27;

        public const int ExternalId = 87;
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
    /// One page of the tickets whose <c>date_mod</c> is strictly after <paramref name="since"/> (GLPI's
    /// own local text, <c>yyyy-MM-dd HH:mm:ss</c>), oldest change first, with the columns the status
    /// sync reads. GLPI answers 206 and <c>Content-Range: start-end/total</c> while more rows follow.
    /// </summary>
    public static async Task<GlpiSearchPage> SearchTicketsModifiedSinceAsync(
        this IGlpiApi glpi, string since, int start, int count, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>
        {
            ["criteria[0][field]"] = Field(TicketField.DateMod),
            ["criteria[0][searchtype]"] = "morethan",
            ["criteria[0][value]"] = since,
            ["forcedisplay[0]"] = Field(TicketField.Id),
            ["forcedisplay[1]"] = Field(TicketField.Status),
            ["forcedisplay[2]"] = Field(TicketField.DateMod),
            ["forcedisplay[3]"] = Field(TicketField.FollowupCount),
            ["forcedisplay[4]"] = Field(TicketField.ExternalId),
            ["sort"] = Field(TicketField.DateMod),
            ["order"] = "ASC",
            ["range"] = $"{start}-{start + count - 1}",
        };
        using var response = await glpi.SearchTicketsAsync(parameters, cancellationToken);
        await response.EnsureSuccessStatusCodeAsync();
        var body = response.Content ?? new GlpiSearchResult();
        var rows = (body.Data ?? []).Select(GlpiSearchRow.From).OfType<GlpiSearchRow>().ToList();
        var partial = response.StatusCode == HttpStatusCode.PartialContent;
        var total = partial && TryReadTotal(response, out var fromHeader) ? fromHeader : Math.Max(body.TotalCount, start + rows.Count);
        return new GlpiSearchPage(rows, total, HasMore: partial && rows.Count > 0 && start + rows.Count < total, response.Headers?.Date);
    }

    /// <summary>
    /// The document whose name contains <paramref name="marker"/> exactly, or null. GLPI's searchText is
    /// a LIKE, where <c>_</c> and <c>%</c> are wildcards: the search names <paramref name="searchText"/>
    /// (a part of the marker without them) and each candidate is checked.
    /// </summary>
    public static async Task<GlpiDocument?> FindDocumentByNameAsync(this IGlpiApi glpi, string searchText, string marker, CancellationToken cancellationToken)
    {
        var candidates = await AllPagesAsync(range => glpi.ListDocumentsByNameAsync(searchText, range, cancellationToken));
        return candidates.Where(document => document.Name?.Contains(marker, StringComparison.Ordinal) == true).MinBy(document => document.Id);
    }

    /// <summary>Every item the document is linked to, following GLPI's pages.</summary>
    public static Task<List<GlpiDocumentItem>> GetAllDocumentLinksAsync(this IGlpiApi glpi, int documentId, CancellationToken cancellationToken) =>
        AllPagesAsync(range => glpi.GetDocumentLinksAsync(documentId, range, cancellationToken));

    /// <summary>Every follow-up of the ticket the API account may see, following GLPI's pages.</summary>
    public static Task<List<GlpiFollowup>> GetAllFollowupsAsync(this IGlpiApi glpi, int ticketId, CancellationToken cancellationToken) =>
        AllPagesAsync(range => glpi.GetFollowupsAsync(ticketId, range, cancellationToken));

    /// <summary>Every solution of the ticket, following GLPI's pages.</summary>
    public static Task<List<GlpiSolution>> GetAllSolutionsAsync(this IGlpiApi glpi, int ticketId, CancellationToken cancellationToken) =>
        AllPagesAsync(range => glpi.GetSolutionsAsync(ticketId, range, cancellationToken));

    private static async Task<List<T>> AllPagesAsync<T>(Func<string, Task<ApiResponse<List<T>>>> page)
    {
        var all = new List<T>();
        for (var start = 0; ; start += PageSize)
        {
            using var response = await page($"{start}-{start + PageSize - 1}");
            await response.EnsureSuccessStatusCodeAsync();
            var items = response.Content ?? [];
            all.AddRange(items);
            if (response.StatusCode != HttpStatusCode.PartialContent
                || items.Count == 0
                || !TryReadTotal(response, out var total)
                || start + items.Count >= total)
            {
                return all;
            }
        }
    }

    private static string Field(int searchOption) => searchOption.ToString(CultureInfo.InvariantCulture);

    /// <summary>GLPI writes and reads dates as <c>yyyy-MM-dd HH:mm:ss</c> in its server's time zone.</summary>
    public static string ToGlpiDate(DateTimeOffset value, TimeZoneInfo glpiTimeZone) =>
        TimeZoneInfo.ConvertTime(value, glpiTimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>
    /// The instant of a GLPI date. In the hour that repeats when summer time ends, the local text is
    /// ambiguous; it is read as standard time (GLPI does not say which).
    /// </summary>
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
