using System.Globalization;
using System.Net;
using System.Text.Json;
using Refit;
using TicketHub.Connectors.Glpi.Forwarding;

namespace TicketHub.Connectors.Glpi.Glpi;

/// <summary>Queries built on <see cref="IGlpiApi"/> that need more than one call or GLPI's conventions.</summary>
internal static class GlpiApiExtensions
{
    private const int PageSize = 50;

    /// <summary>How GLPI's search joins several values of one column (<c>$#$</c> in GLPI 10, line breaks or commas in displays).</summary>
    private static readonly string[] EmailSeparators = ["$#$", "\n", "<br>", ",", ";", " "];

    /// <summary>GLPI's answer when a range starts past the last row: the end of the pages, not an error.</summary>
    public const string RangeExceedTotal = "ERROR_RANGE_EXCEED_TOTAL";

    /// <summary>The code of the <see cref="GlpiError"/> of an answer that is not what GLPI's API documents.</summary>
    public const string UnreadableCode = "UNREADABLE_ANSWER";

    /// <summary>GLPI search option ids of Ticket (GLPI 10 and 11).</summary>
    public static class TicketField
    {
        public const int Name = 1;
        public const int Id = 2;
        public const int Status = 12;

        /// <summary>The opening date, <c>date</c>.</summary>
        public const int Date = 15;
        public const int DateMod = 19;
        public const int Content = 21;

        /// <summary>Number of follow-ups the API account may see (a count, from ITILFollowup's options).</summary>
        public const int FollowupCount = 27;
    }

    /// <summary>GLPI search option ids of User.</summary>
    public static class UserField
    {
        public const int Id = 2;
        public const int Emails = 5;
        public const int Active = 8;
    }

    /// <summary>
    /// The id of the GLPI ticket that carries <paramref name="reference"/> (<see cref="GlpiReference"/>),
    /// or null when GLPI answered, readably, that none does. The search engine looks for the reference
    /// in the title, the description and, when GLPI has it (<paramref name="externalIdOption"/>),
    /// <c>externalid</c>; a LIKE finds longer references too, so each candidate is checked exactly.
    /// An answer that cannot be read (GLPI 10's empty HTML body, JSON of another shape) throws:
    /// "not found" would create the ticket a second time.
    /// </summary>
    /// <param name="openedSince">
    /// When the connector first tried to deliver the ticket: a ticket GLPI opened more than a day
    /// before (<see cref="OpeningMargin"/>) carries the reference of an earlier installation of the
    /// hub whose numbering started again, not this one. Null: any opening date.
    /// </param>
    public static async Task<int?> FindTicketByReferenceAsync(
        this IGlpiApi glpi, string reference, int? externalIdOption, DateTimeOffset? openedSince, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>
        {
            ["criteria[0][field]"] = Field(TicketField.Name),
            ["criteria[0][searchtype]"] = "contains",
            ["criteria[0][value]"] = reference,
            ["criteria[1][link]"] = "OR",
            ["criteria[1][field]"] = Field(TicketField.Content),
            ["criteria[1][searchtype]"] = "contains",
            ["criteria[1][value]"] = reference,
            ["forcedisplay[0]"] = Field(TicketField.Id),
            ["forcedisplay[1]"] = Field(TicketField.Name),
            ["forcedisplay[2]"] = Field(TicketField.Content),
            ["forcedisplay[4]"] = Field(TicketField.Date),
            ["sort"] = Field(TicketField.Id),
            ["order"] = "ASC",
        };
        if (externalIdOption is { } option)
        {
            parameters["criteria[2][link]"] = "OR";
            parameters["criteria[2][field]"] = Field(option);
            parameters["criteria[2][searchtype]"] = "contains";
            parameters["criteria[2][value]"] = reference;
            parameters["forcedisplay[3]"] = Field(option);
        }

        var rows = await SearchAllAsync(start => glpi.SearchTicketsAsync(WithRange(parameters, start, PageSize), cancellationToken), "tickets", cancellationToken);
        return LowestId(rows, TicketField.Id, row => GlpiReference.Names(
                reference,
                GlpiSearchRow.Text(row, TicketField.Name),
                GlpiSearchRow.Text(row, TicketField.Content),
                externalIdOption is { } externalId ? GlpiSearchRow.Text(row, externalId) : null)
            && (openedSince is not { } since || OpenedAt(row) >= since - OpeningMargin));
    }

    /// <summary>
    /// How long before the connector's first attempt a ticket GLPI opened may still be the hub's: a
    /// day covers any time zone GLPI's server shows its dates in (GLPI gives no offset), and a hub
    /// reinstalled from an empty database reuses its references long after its previous tickets.
    /// </summary>
    public static readonly TimeSpan OpeningMargin = TimeSpan.FromDays(1);

    /// <summary>A search row's opening date, read as UTC (within a day of the truth: <see cref="OpeningMargin"/>); unreadable throws.</summary>
    private static DateTimeOffset OpenedAt(Dictionary<string, JsonElement> row)
    {
        var text = GlpiSearchRow.Text(row, TicketField.Date);
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var opened))
        {
            return opened;
        }

        var error = new GlpiError(HttpStatusCode.OK, UnreadableCode, $"opening date '{text}' of ticket {GlpiSearchRow.Integer(row, TicketField.Id)}");
        throw new GlpiException($"GLPI answered the search of tickets with an opening date that cannot be read ({error}); trying again later rather than guessing.", error);
    }

    /// <summary>
    /// The active GLPI user whose e-mail is exactly <paramref name="email"/> (case aside), or null.
    /// GLPI joins a user's e-mails in one column; each is compared.
    /// </summary>
    public static async Task<int?> FindUserByEmailAsync(this IGlpiApi glpi, string email, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>
        {
            ["criteria[0][field]"] = Field(UserField.Emails),
            ["criteria[0][searchtype]"] = "contains",
            ["criteria[0][value]"] = email,
            ["criteria[1][link]"] = "AND",
            ["criteria[1][field]"] = Field(UserField.Active),
            ["criteria[1][searchtype]"] = "equals",
            ["criteria[1][value]"] = "1",
            ["forcedisplay[0]"] = Field(UserField.Id),
            ["forcedisplay[1]"] = Field(UserField.Emails),
            ["sort"] = Field(UserField.Id),
            ["order"] = "ASC",
        };
        var rows = await SearchAllAsync(start => glpi.SearchUsersAsync(WithRange(parameters, start, PageSize), cancellationToken), "users", cancellationToken);
        return LowestId(rows, UserField.Id, row => (GlpiSearchRow.Text(row, UserField.Emails) ?? "")
            .Split(EmailSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(email, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The lowest id (the oldest item) among the rows that <paramref name="match"/>, or null.</summary>
    private static int? LowestId(List<Dictionary<string, JsonElement>> rows, int idField, Func<Dictionary<string, JsonElement>, bool> match) =>
        rows.Where(match).Select(row => GlpiSearchRow.Integer(row, idField)).OfType<int>().Order().Cast<int?>().FirstOrDefault();

    /// <summary>
    /// The search option id of Ticket's <c>externalid</c> (GLPI 11), or null when this GLPI has none
    /// (GLPI 10). Read from <c>listSearchOptions/Ticket</c>: the option whose field is <c>externalid</c>
    /// in <c>glpi_tickets</c>.
    /// </summary>
    public static async Task<int?> FindExternalIdOptionAsync(this IGlpiApi glpi, CancellationToken cancellationToken)
    {
        using var response = await glpi.ListTicketSearchOptionsAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = GlpiError.From(response.StatusCode, body);
            throw new GlpiException($"GLPI refused to list the search options of tickets: {error}", error);
        }

        Dictionary<string, JsonElement>? options;
        try
        {
            options = JsonSerializer.Deserialize(body, GlpiJsonContext.Default.DictionaryStringJsonElement);
        }
        catch (JsonException)
        {
            options = null;
        }

        if (options is null || !options.ContainsKey(Field(TicketField.Name)))
        {
            throw Unreadable(response, body, "the search options of tickets");
        }

        foreach (var (key, value) in options)
        {
            if (value.ValueKind == JsonValueKind.Object
                && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && value.TryGetProperty("field", out var field) && field.ValueKind == JsonValueKind.String && field.GetString() == "externalid"
                && (!value.TryGetProperty("table", out var table) || table.ValueKind != JsonValueKind.String || table.GetString() == "glpi_tickets"))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>
    /// One page of the tickets whose <c>date_mod</c> is strictly after <paramref name="since"/> (GLPI's
    /// own local text, <c>yyyy-MM-dd HH:mm:ss</c>, no offset: GLPI ignores a criterion it cannot parse
    /// and returns every ticket, and reads an ISO date ending in <c>Z</c> as local time), oldest change first, with the columns the status sync reads. GLPI
    /// answers 206 and <c>Content-Range: start-end/total</c> while more rows follow.
    /// </summary>
    public static async Task<GlpiSearchPage> SearchTicketsModifiedSinceAsync(
        this IGlpiApi glpi, string since, int start, int count, int? externalIdOption, CancellationToken cancellationToken)
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
            ["sort"] = Field(TicketField.DateMod),
            ["order"] = "ASC",
        };
        if (externalIdOption is { } option)
        {
            parameters["forcedisplay[4]"] = Field(option);
        }

        using var response = await glpi.SearchTicketsAsync(WithRange(parameters, start, count), cancellationToken);
        if (await ReadSearchAsync(response, "changed tickets", cancellationToken) is not { } page)
        {
            // The rows shrank between two pages: nothing past the end.
            return new GlpiSearchPage([], start, HasMore: false, response.Headers.Date);
        }

        var rows = page.Rows.Select(row => GlpiSearchRow.From(row, externalIdOption)).OfType<GlpiSearchRow>().ToList();
        var total = Math.Max(page.Total, start + rows.Count);
        return new GlpiSearchPage(rows, total, HasMore: page.Partial && rows.Count > 0 && start + rows.Count < total, response.Headers.Date);
    }

    /// <summary>Every document link of the ticket, following GLPI's pages.</summary>
    public static Task<List<GlpiDocumentItem>> GetAllTicketDocumentLinksAsync(this IGlpiApi glpi, int ticketId, CancellationToken cancellationToken) =>
        AllPagesAsync(range => glpi.GetTicketDocumentLinksAsync(ticketId, range, cancellationToken));

    /// <summary>Every follow-up of the ticket the API account may see, following GLPI's pages.</summary>
    public static Task<List<GlpiFollowup>> GetAllFollowupsAsync(this IGlpiApi glpi, int ticketId, CancellationToken cancellationToken) =>
        AllPagesAsync(range => glpi.GetFollowupsAsync(ticketId, range, cancellationToken));

    /// <summary>Every solution of the ticket, following GLPI's pages.</summary>
    public static Task<List<GlpiSolution>> GetAllSolutionsAsync(this IGlpiApi glpi, int ticketId, CancellationToken cancellationToken) =>
        AllPagesAsync(range => glpi.GetSolutionsAsync(ticketId, range, cancellationToken));

    /// <summary>
    /// Every item of a sub-list, page by page. A body that does not read as the list (an empty or
    /// HTML body with 200) throws rather than passing for an empty list.
    /// </summary>
    private static async Task<List<T>> AllPagesAsync<T>(Func<string, Task<ApiResponse<List<T>>>> page)
    {
        var all = new List<T>();
        for (var start = 0; ; start += PageSize)
        {
            using var response = await page($"{start}-{start + PageSize - 1}");
            if (!response.IsSuccessStatusCode && start > 0
                && GlpiError.From(response.StatusCode ?? HttpStatusCode.BadRequest, (response.Error as ApiException)?.Content).Code == RangeExceedTotal)
            {
                return all;
            }

            await response.EnsureSuccessStatusCodeAsync();
            if (response.Error is not null || response.Content is null)
            {
                var error = new GlpiError(response.StatusCode ?? HttpStatusCode.OK, UnreadableCode, response.Error?.Message ?? "empty body");
                throw new GlpiException($"GLPI answered a list ({typeof(T).Name}) that cannot be read: {error}", error, response.Error);
            }

            var items = response.Content;
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

    /// <summary>One page of a search, read strictly (<see cref="ReadSearchAsync"/>).</summary>
    private sealed record SearchAnswer(List<Dictionary<string, JsonElement>> Rows, int Total, bool Partial);

    /// <summary>All rows of a search, page after page, until GLPI has no more.</summary>
    private static async Task<List<Dictionary<string, JsonElement>>> SearchAllAsync(
        Func<int, Task<HttpResponseMessage>> page, string what, CancellationToken cancellationToken)
    {
        var all = new List<Dictionary<string, JsonElement>>();
        for (var start = 0; ; start += PageSize)
        {
            using var response = await page(start);
            if (await ReadSearchAsync(response, what, cancellationToken) is not { } answer)
            {
                return all;
            }

            all.AddRange(answer.Rows);
            if (!answer.Partial || answer.Rows.Count == 0 || start + answer.Rows.Count >= answer.Total)
            {
                return all;
            }
        }
    }

    /// <summary>
    /// A search answer: <c>{"totalcount": n, "data": [...]}</c>, <c>data</c> left out when nothing
    /// matched. Null for 400 ERROR_RANGE_EXCEED_TOTAL (a range past the end). Anything else throws: an
    /// error status as GLPI's error, a body without <c>totalcount</c> (GLPI 10's empty HTML page
    /// after a PHP error, a proxy's page) as <see cref="UnreadableCode"/>.
    /// </summary>
    private static async Task<SearchAnswer?> ReadSearchAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = GlpiError.From(response.StatusCode, body);
            if (error.Code == RangeExceedTotal)
            {
                return null;
            }

            throw new GlpiException($"GLPI refused the search of {what}: {error}", error);
        }

        GlpiSearchResult? result = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("totalcount", out _))
            {
                result = document.RootElement.Deserialize(GlpiJsonContext.Default.GlpiSearchResult);
            }
        }
        catch (JsonException)
        {
            result = null;
        }

        if (result is null)
        {
            throw Unreadable(response, body, what);
        }

        return new SearchAnswer(result.Data ?? [], result.TotalCount, response.StatusCode == HttpStatusCode.PartialContent);
    }

    private static GlpiException Unreadable(HttpResponseMessage response, string body, string what)
    {
        var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
        var start = body.Trim();
        var error = new GlpiError(response.StatusCode, UnreadableCode, $"{type}, {body.Length} characters{(start.Length == 0 ? "" : ": " + (start.Length > 120 ? start[..120] : start))}");
        return new GlpiException($"GLPI answered the search of {what} with something that is not a search result ({error}); trying again later rather than reading it as \"nothing found\".", error);
    }

    private static Dictionary<string, string> WithRange(Dictionary<string, string> parameters, int start, int count) =>
        new(parameters) { ["range"] = $"{start}-{start + count - 1}" };

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
