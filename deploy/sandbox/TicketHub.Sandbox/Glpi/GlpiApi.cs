using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using TicketHub.Sandbox.Faults;

namespace TicketHub.Sandbox.Glpi;

/// <summary>
/// GLPI's REST API (<c>apirest.php</c>, as documented in GLPI's apirest.md), the part the hub's
/// connector uses: sessions, tickets, follow-ups, solutions, users, the search engine, documents
/// (<see cref="MapDocuments"/>). Statuses,
/// headers and error arrays follow GLPI; state lives in <see cref="GlpiStore"/>.
/// </summary>
internal static partial class GlpiApi
{
    public const string BasePath = "/glpi/apirest.php";

    /// <summary>Key of the emulated GLPI's <see cref="FaultInjector"/>.</summary>
    public const string Tool = "glpi";

    /// <summary>GLPI's <c>Accept-Range</c>: the itemtype and the most rows one call may ask for.</summary>
    private const string AcceptRange = "Ticket 1000";

    private static readonly HashSet<string> TicketColumns = [.. GlpiResults.Ticket(
        new GlpiTicketRecord { Id = 0, EntityId = 0, Name = "", Content = "", Date = default, DateMod = default },
        new GlpiDates(Options.Create(new GlpiSandboxOptions { TimeZone = "UTC" }))).Keys];

    public static IEndpointRouteBuilder MapGlpiApi(this IEndpointRouteBuilder app)
    {
        // Faults (Sandbox:Glpi:Faults) apply to every apirest.php call, before the session is checked.
        var api = app.MapGroup(BasePath).InjectFaults(Tool, _ => GlpiResults.Error(
            StatusCodes.Status500InternalServerError, "ERROR", "Internal server error (injected by the sandbox: Sandbox:Glpi:Faults)"));
        api.MapGet("/initSession", InitSession);

        var session = api.MapGroup("").AddEndpointFilter(RequireSessionAsync);
        session.MapGet("/killSession", KillSession);
        session.MapGet("/getFullSession", FullSession);
        session.MapGet("/User/{id:int}", GetUser);
        session.MapGet("/search/User", SearchUsers);
        session.MapGet("/listSearchOptions/Ticket", (IOptions<GlpiSandboxOptions> options) =>
            GlpiResults.Ok(GlpiSearch.Describe(GlpiSearch.TicketOptions(options.Value))));
        session.MapGet("/Ticket/{id:int}/Ticket_User", (GlpiStore store, int id) => store.FindTicket(id) is not { } ticket
            ? GlpiResults.ItemNotFound()
            : GlpiResults.Ok(ticket.RequesterUserId > 0 || ticket.RequesterEmail is not null ? new[] { GlpiResults.Requester(ticket) } : []));
        session.MapPost("/Ticket", CreateTicketsAsync);
        session.MapGet("/Ticket", ListTickets);
        session.MapGet("/Ticket/{id:int}", GetTicket);
        session.MapPut("/Ticket/{id:int}", UpdateTicketAsync);
        session.MapGet("/search/Ticket", SearchTickets);
        session.MapGet("/Ticket/{id:int}/ITILFollowup", ListFollowups);
        session.MapPost("/Ticket/{id:int}/ITILFollowup", (HttpContext http, GlpiStore store, int id) => CreateFollowupsAsync(http, store, id));
        session.MapPost("/ITILFollowup", (HttpContext http, GlpiStore store) => CreateFollowupsAsync(http, store, null));
        session.MapGet("/ITILFollowup/{id:int}", GetFollowup);
        session.MapGet("/Ticket/{id:int}/ITILSolution", ListSolutions);
        MapDocuments(session);
        session.Map("/{**path}", UnknownResource);
        return app;
    }

    private static IResult InitSession(HttpContext http, GlpiStore store, IOptions<GlpiSandboxOptions> options)
    {
        if (CheckAppToken(http, options.Value) is { } refused)
        {
            return refused;
        }

        var authorization = http.Request.Headers.Authorization.ToString();
        var userToken = authorization.StartsWith("user_token ", StringComparison.OrdinalIgnoreCase)
            ? authorization["user_token ".Length..].Trim()
            : http.Request.Query["user_token"].ToString();
        if (string.IsNullOrEmpty(userToken))
        {
            return authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || http.Request.Query.ContainsKey("login")
                ? GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_LOGIN_WITH_CREDENTIALS_DISABLED", "usage of initSession resource with credentials is disabled")
                : GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_LOGIN_PARAMETERS_MISSING", "parameter(s) login, password or user_token are missing");
        }

        if (!FixedTimeEquals(userToken, options.Value.UserToken))
        {
            return GlpiResults.Error(StatusCodes.Status401Unauthorized, "ERROR_GLPI_LOGIN_USER_TOKEN", "parameter user_token seems invalid");
        }

        return GlpiResults.Ok(new Dictionary<string, string> { ["session_token"] = store.OpenSession() });
    }

    private static async ValueTask<object?> RequireSessionAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (CheckAppToken(http, http.RequestServices.GetRequiredService<IOptions<GlpiSandboxOptions>>().Value) is { } refused)
        {
            return refused;
        }

        var token = SessionToken(http);
        if (string.IsNullOrEmpty(token))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_SESSION_TOKEN_MISSING", "parameter session_token is missing or empty");
        }

        if (!http.RequestServices.GetRequiredService<GlpiStore>().TouchSession(token))
        {
            return GlpiResults.Error(StatusCodes.Status401Unauthorized, "ERROR_SESSION_TOKEN_INVALID", "session_token seems invalid");
        }

        return await next(context);
    }

    private static IResult KillSession(HttpContext http, GlpiStore store)
    {
        store.CloseSession(SessionToken(http));
        return GlpiResults.Ok(true);
    }

    /// <summary>The part of PHP's <c>$_SESSION</c> a client may want: who is logged in. Every session is the API account's.</summary>
    private static IResult FullSession() => GlpiResults.Ok(new Dictionary<string, object>
    {
        ["session"] = new Dictionary<string, object?>
        {
            ["glpiID"] = GlpiUsers.ApiAccount,
            ["glpiname"] = GlpiUsers.Find(GlpiUsers.ApiAccount)!.Value.Login,
            ["glpifriendlyname"] = GlpiUsers.Name(GlpiUsers.ApiAccount),
            ["glpiactive_entity"] = 0,
            ["glpidefault_entity"] = 0,
        },
    });

    private static IResult GetUser(int id) =>
        GlpiUsers.Find(id) is { } user ? GlpiResults.Ok(GlpiResults.User(id, user)) : GlpiResults.ItemNotFound();

    private static async Task<IResult> CreateTicketsAsync(HttpContext http, GlpiStore store, GlpiDates dates, IOptions<GlpiSandboxOptions> options)
    {
        var (input, error) = await ReadInputAsync(http);
        if (error is not null)
        {
            return error;
        }

        if (input.ValueKind == JsonValueKind.Object)
        {
            var (ticket, message) = CreateTicket(input, store, dates, options.Value);
            if (ticket is null)
            {
                return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", message);
            }

            http.Response.Headers.Location = $"{GlpiResults.ApiUrl(http)}/Ticket/{ticket.Id}";
            return GlpiResults.Ok(new Dictionary<string, object> { ["id"] = ticket.Id, ["message"] = "" }, StatusCodes.Status201Created);
        }

        var results = new List<Dictionary<string, object>>();
        var created = new List<int>();
        foreach (var item in input.EnumerateArray())
        {
            var (ticket, message) = item.ValueKind == JsonValueKind.Object
                ? CreateTicket(item, store, dates, options.Value)
                : (null, "input parameter must be an array of objects");
            results.Add(new Dictionary<string, object> { ["id"] = ticket is null ? false : ticket.Id, ["message"] = message });
            if (ticket is not null)
            {
                created.Add(ticket.Id);
            }
        }

        if (created.Count == 0)
        {
            return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", results);
        }

        if (created.Count < results.Count)
        {
            return GlpiResults.Error(StatusCodes.Status207MultiStatus, "ERROR_GLPI_PARTIAL_ADD", results);
        }

        http.Response.Headers.Link = string.Join(',', created.Select(id => $"{GlpiResults.ApiUrl(http)}/Ticket/{id}"));
        return GlpiResults.Ok(results, StatusCodes.Status201Created);
    }

    private static (GlpiTicketRecord? Ticket, string Message) CreateTicket(JsonElement input, GlpiStore store, GlpiDates dates, GlpiSandboxOptions options)
    {
        var entityId = Integer(input, "entities_id") ?? 0;
        if (options.ForbiddenEntities.Contains(entityId))
        {
            return (null, "You don't have permission to perform this action.");
        }

        var content = Text(input, "content") ?? "";
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, "Mandatory fields are not filled. Please correct: Description");
        }

        var name = Text(input, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            // As GLPI does: a ticket without a title is named after the start of its description.
            var plain = HtmlTag().Replace(content, " ").Trim();
            name = plain.Length <= 70 ? plain : plain[..70];
        }

        var ticket = store.AddTicket((id, now) => new GlpiTicketRecord
        {
            Id = id,
            EntityId = entityId,
            Name = name,
            Content = content,
            Status = Integer(input, "status") is >= GlpiStatus.New and <= GlpiStatus.Closed and var status ? status : GlpiStatus.New,
            Urgency = Integer(input, "urgency") is >= 1 and <= 5 and var urgency ? urgency : 3,
            Impact = Integer(input, "impact") is >= 1 and <= 5 and var impact ? impact : 3,
            CategoryId = Integer(input, "itilcategories_id") ?? 0,
            Type = Integer(input, "type") is (1 or 2) and var type ? type : 1,
            // GLPI 10 has no such column: the field is dropped without a word.
            ExternalId = options.HasExternalId ? Text(input, "externalid") : null,
            RequesterUserId = Integer(input, "_users_id_requester") is > 0 and var requester && GlpiUsers.Find(requester) is not null ? requester : 0,
            RequesterEmail = RequesterEmail(input),
            RecipientUserId = GlpiUsers.ApiAccount,
            LastUpdaterUserId = GlpiUsers.ApiAccount,
            // As GLPI does: the opening date given (a ticket entered after the fact), else now.
            Date = dates.TryParseDate(Text(input, "date"), out var opened) ? opened : now,
            DateMod = now,
        });
        return (ticket, "");
    }

    /// <summary>
    /// The e-mail of <c>_users_id_requester_notif: {"use_notification": [1], "alternative_email": ["…"]}</c>
    /// (GLPI 10's shape, one entry per requester), when notification is asked for.
    /// </summary>
    private static string? RequesterEmail(JsonElement input) =>
        input.TryGetProperty("_users_id_requester_notif", out var notif) && notif.ValueKind == JsonValueKind.Object
        && notif.TryGetProperty("alternative_email", out var emails) && emails.ValueKind == JsonValueKind.Array
        && emails.GetArrayLength() > 0 && emails[0].ValueKind == JsonValueKind.String && emails[0].GetString() is { Length: > 0 } email
        && (!notif.TryGetProperty("use_notification", out var use) || use.ValueKind != JsonValueKind.Array || use.GetArrayLength() == 0 || use[0].ToString() == "1")
            ? email
            : null;

    private static IResult GetTicket(HttpContext http, GlpiStore store, GlpiDates dates, IOptions<GlpiSandboxOptions> options, int id)
    {
        if (store.FindTicket(id) is not { } ticket)
        {
            return GlpiResults.ItemNotFound();
        }

        http.Response.Headers.LastModified = ticket.DateMod.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
        return GlpiResults.Ok(GlpiResults.AsApi(GlpiResults.Ticket(ticket, dates), options.Value));
    }

    private static async Task<IResult> UpdateTicketAsync(HttpContext http, GlpiStore store, int id)
    {
        var (input, error) = await ReadInputAsync(http);
        if (error is not null)
        {
            return error;
        }

        if (input.ValueKind != JsonValueKind.Object)
        {
            return GlpiResults.BadArray(http);
        }

        var updated = store.UpdateTicket(id, GlpiUsers.ApiAccount, ticket => ticket with
        {
            Name = Text(input, "name") ?? ticket.Name,
            Content = Text(input, "content") ?? ticket.Content,
            EntityId = Integer(input, "entities_id") ?? ticket.EntityId,
            Status = Integer(input, "status") is >= GlpiStatus.New and <= GlpiStatus.Closed and var status ? status : ticket.Status,
            Urgency = Integer(input, "urgency") is >= 1 and <= 5 and var urgency ? urgency : ticket.Urgency,
            Impact = Integer(input, "impact") is >= 1 and <= 5 and var impact ? impact : ticket.Impact,
            CategoryId = Integer(input, "itilcategories_id") ?? ticket.CategoryId,
            Type = Integer(input, "type") is (1 or 2) and var type ? type : ticket.Type,
            ExternalId = Text(input, "externalid") ?? ticket.ExternalId,
        });
        return updated is null
            ? GlpiResults.ItemNotFound()
            : GlpiResults.Ok(new[] { new Dictionary<string, object> { [id.ToString(CultureInfo.InvariantCulture)] = true, ["message"] = "" } });
    }

    /// <summary>All tickets, filtered by <c>searchText[field]</c> (a LIKE, with GLPI's ^ and $ anchors), paged by <c>range</c>.</summary>
    private static IResult ListTickets(HttpContext http, GlpiStore store, GlpiDates dates, IOptions<GlpiSandboxOptions> options)
    {
        var query = http.Request.Query;
        if (!options.Value.HasExternalId && query.Keys.Any(key => key == "searchText[externalid]"))
        {
            // GLPI 10: a PHP fatal error on the unknown column, answered as 200 with an empty HTML page.
            return Results.Content("", "text/html; charset=UTF-8", statusCode: StatusCodes.Status200OK);
        }

        if (!GlpiRange.TryParse(query["range"], out var range))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "range must be in format : [start-end] with integers");
        }

        var order = query["order"].ToString() is { Length: > 0 } requested ? requested.ToUpperInvariant() : "ASC";
        if (order is not ("ASC" or "DESC"))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "order must be DESC or ASC");
        }

        var sort = query["sort"].ToString() is { Length: > 0 } column ? column : "id";
        if (!TicketColumns.Contains(sort))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "sort param is not a field of glpi_tickets");
        }

        var filters = new List<(string Column, string Value)>();
        foreach (var (key, value) in query)
        {
            var match = SearchTextKey().Match(key);
            if (!match.Success || string.IsNullOrEmpty(value))
            {
                continue;
            }

            var field = match.Groups[1].Value == "all" ? "name" : match.Groups[1].Value;
            if (!TicketColumns.Contains(field) || (field == "externalid" && !options.Value.HasExternalId))
            {
                return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_SQL", $"Unknown column '{field}' in 'where clause'");
            }

            filters.Add((field, value.ToString()));
        }

        var deleted = query["is_deleted"].ToString() is "1" or "true";
        var rows = store.Tickets()
            .Where(ticket => ticket.IsDeleted == deleted)
            .Select(ticket => GlpiResults.AsApi(GlpiResults.Ticket(ticket, dates), options.Value))
            .Where(view => filters.TrueForAll(filter => IsLike(Convert.ToString(view[filter.Column], CultureInfo.InvariantCulture), filter.Value)))
            .ToList();
        rows.Sort((left, right) => Ordered(GlpiSearch.CompareColumn(left, right, sort), order));
        return Page(http, rows, range);
    }

    /// <summary>GLPI's search engine: criteria on search options, forcedisplay, sort/order, range.</summary>
    private static IResult SearchTickets(HttpContext http, GlpiStore store, GlpiDates dates, IOptions<GlpiSandboxOptions> options)
    {
        var query = http.Request.Query;
        var criteria = GlpiSearch.ReadCriteria(query);
        var searchOptions = GlpiSearch.TicketOptions(options.Value);
        if (GlpiSearch.Check(criteria, searchOptions) is { } problem)
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", problem);
        }

        if (!GlpiRange.TryParse(query["range"], out var range))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "range must be in format : [start-end] with integers");
        }

        var sort = int.TryParse(query["sort"], CultureInfo.InvariantCulture, out var sortId) && searchOptions.ContainsKey(sortId) ? sortId : 1;
        var order = query["order"].ToString().Equals("DESC", StringComparison.OrdinalIgnoreCase) ? "DESC" : "ASC";
        var rows = store.Tickets()
            .Where(ticket => !ticket.IsDeleted)
            .Select(ticket => GlpiSearch.View(ticket, store, dates, options.Value))
            .Where(view => GlpiSearch.Matches(view, criteria, dates, searchOptions))
            .ToList();
        return SearchPage(http, rows, criteria, searchOptions, sort, order, range, GlpiSearch.DefaultColumns);
    }

    /// <summary>GLPI's search engine on users: criteria on login, id, e-mails, active (<see cref="GlpiSearch.UserOptions"/>).</summary>
    private static IResult SearchUsers(HttpContext http, GlpiDates dates)
    {
        var query = http.Request.Query;
        var criteria = GlpiSearch.ReadCriteria(query);
        if (GlpiSearch.Check(criteria, GlpiSearch.UserOptions) is { } problem)
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", problem);
        }

        if (!GlpiRange.TryParse(query["range"], out var range))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "range must be in format : [start-end] with integers");
        }

        var rows = GlpiUsers.List()
            .Select(user => new Dictionary<string, object?> { ["id"] = user.Id, ["name"] = user.Login, ["email"] = user.Email, ["is_active"] = 1 })
            .Where(view => GlpiSearch.Matches(view, criteria, dates, GlpiSearch.UserOptions))
            .ToList();
        return SearchPage(http, rows, criteria, GlpiSearch.UserOptions, sort: 1, order: "ASC", range, defaultColumns: [1, 2]);
    }

    /// <summary>One page of search results with GLPI's paging: 206 and Content-Range when partial, 400 past the end, no <c>data</c> when empty.</summary>
    private static IResult SearchPage(
        HttpContext http,
        List<Dictionary<string, object?>> rows,
        IReadOnlyList<GlpiCriterion> criteria,
        IReadOnlyDictionary<int, (string Column, GlpiSearch.Kind Kind)> searchOptions,
        int sort,
        string order,
        GlpiRange range,
        int[] defaultColumns)
    {
        var query = http.Request.Query;
        var sortColumn = searchOptions[sort].Column;
        rows.Sort((left, right) =>
        {
            var bySort = Ordered(GlpiSearch.CompareColumn(left, right, sortColumn), order);
            return bySort != 0 ? bySort : GlpiSearch.CompareColumn(left, right, "id");
        });

        var total = rows.Count;
        if (range.Start > total)
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_RANGE_EXCEED_TOTAL", $"Provided range exceed total count of data: {total}");
        }

        var columns = defaultColumns
            .Concat(criteria.Select(criterion => int.Parse(criterion.Field, CultureInfo.InvariantCulture)))
            .Concat(GlpiSearch.ReadForcedDisplay(query).Where(searchOptions.ContainsKey))
            .Distinct()
            .ToList();
        var page = rows.Skip(range.Start).Take(range.Count)
            .Select(view => columns.ToDictionary(
                column => column.ToString(CultureInfo.InvariantCulture),
                column => view.GetValueOrDefault(searchOptions[column].Column)))
            .ToList();

        // GLPI clamps the end of the range to the last row, even when there is none ("0--1/0"),
        // and leaves "data" out when nothing matched.
        var end = Math.Min(range.End, total - 1);
        var body = new Dictionary<string, object?>
        {
            ["totalcount"] = total,
            ["count"] = page.Count,
            ["sort"] = new[] { sort },
            ["order"] = new[] { order },
        };
        if (page.Count > 0)
        {
            body["data"] = page;
        }

        body["content-range"] = $"{range.Start}-{end}/{total}";
        http.Response.Headers["Accept-Range"] = AcceptRange;
        if (total > 0)
        {
            http.Response.Headers.ContentRange = $"{range.Start}-{end}/{total}";
        }

        return GlpiResults.Ok(body, page.Count >= total ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent);
    }

    private static IResult ListFollowups(HttpContext http, GlpiStore store, GlpiDates dates, IOptions<GlpiSandboxOptions> options, int id)
    {
        if (store.FindTicket(id) is null)
        {
            return GlpiResults.ItemNotFound();
        }

        if (!GlpiRange.TryParse(http.Request.Query["range"], out var range))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "range must be in format : [start-end] with integers");
        }

        return Page(http, [.. store.Followups(id).Select(followup => GlpiResults.AsApi(GlpiResults.Followup(followup, dates), options.Value))], range);
    }

    private static IResult ListSolutions(HttpContext http, GlpiStore store, GlpiDates dates, IOptions<GlpiSandboxOptions> options, int id)
    {
        if (store.FindTicket(id) is null)
        {
            return GlpiResults.ItemNotFound();
        }

        if (!GlpiRange.TryParse(http.Request.Query["range"], out var range))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR", "range must be in format : [start-end] with integers");
        }

        return Page(http, [.. store.Solutions(id).Select(solution => GlpiResults.AsApi(GlpiResults.Solution(solution, dates), options.Value))], range);
    }

    private static IResult GetFollowup(GlpiStore store, GlpiDates dates, IOptions<GlpiSandboxOptions> options, int id) =>
        store.FindFollowup(id) is { } followup ? GlpiResults.Ok(GlpiResults.AsApi(GlpiResults.Followup(followup, dates), options.Value)) : GlpiResults.ItemNotFound();

    /// <summary>Adds follow-ups; under <c>Ticket/{id}/ITILFollowup</c> the ticket may be left out of the input.</summary>
    private static async Task<IResult> CreateFollowupsAsync(HttpContext http, GlpiStore store, int? parentId)
    {
        var (input, error) = await ReadInputAsync(http);
        if (error is not null)
        {
            return error;
        }

        var items = input.ValueKind == JsonValueKind.Object ? [input] : input.EnumerateArray().ToList();
        var results = new List<Dictionary<string, object>>();
        GlpiFollowupRecord? last = null;
        foreach (var item in items)
        {
            var (followup, message) = CreateFollowup(item, store, parentId);
            results.Add(new Dictionary<string, object> { ["id"] = followup is null ? false : followup.Id, ["message"] = message });
            last = followup ?? last;
        }

        var failed = results.Count(result => result["id"] is false);
        if (input.ValueKind == JsonValueKind.Object)
        {
            if (last is null)
            {
                return GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", results[0]["message"]);
            }

            http.Response.Headers.Location = $"{GlpiResults.ApiUrl(http)}/ITILFollowup/{last.Id}";
            return GlpiResults.Ok(results[0], StatusCodes.Status201Created);
        }

        return failed == results.Count ? GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_GLPI_ADD", results)
            : failed > 0 ? GlpiResults.Error(StatusCodes.Status207MultiStatus, "ERROR_GLPI_PARTIAL_ADD", results)
            : GlpiResults.Ok(results, StatusCodes.Status201Created);
    }

    private static (GlpiFollowupRecord? Followup, string Message) CreateFollowup(JsonElement input, GlpiStore store, int? parentId)
    {
        if (input.ValueKind != JsonValueKind.Object)
        {
            return (null, "input parameter must be an array of objects");
        }

        // GLPI 10 checks the rights on the item the input names: without itemtype and items_id, even
        // under Ticket/{id}/ITILFollowup, it refuses ("no rights").
        if (Text(input, "itemtype") is null || Integer(input, "items_id") is null)
        {
            return (null, "Vous n'avez pas les droits requis pour réaliser cette action.");
        }

        if (Text(input, "itemtype") != "Ticket")
        {
            return (null, "The sandbox emulates follow-ups of tickets only.");
        }

        var content = Text(input, "content");
        if (string.IsNullOrWhiteSpace(content))
        {
            return (null, "You can't add a followup without description");
        }

        var ticketId = Integer(input, "items_id") ?? 0;
        if (parentId is { } parent && parent != ticketId)
        {
            return (null, "Vous n'avez pas les droits requis pour réaliser cette action.");
        }

        var followup = store.AddFollowup(ticketId, GlpiUsers.ApiAccount, content, Integer(input, "is_private") == 1);
        return followup is null ? (null, "Item not found") : (followup, "");
    }

    private static IResult UnknownResource(HttpContext http, string? path)
    {
        var itemtype = path?.Split('/', 2)[0];
        return itemtype is "Ticket" or "ITILFollowup" or "ITILSolution" or "User" or "search" or "listSearchOptions" or "initSession" or "killSession" or "getFullSession"
            ? GlpiResults.DocumentedError(http, StatusCodes.Status405MethodNotAllowed, "ERROR_METHOD_NOT_ALLOWED", "Method Not Allowed")
            : GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM", "resource not found or not an instance of CommonDBTM");
    }

    /// <summary>One page of <paramref name="rows"/> with GLPI's headers: 206 when the range holds fewer than all.</summary>
    private static IResult Page(HttpContext http, List<Dictionary<string, object?>> rows, GlpiRange range)
    {
        var total = rows.Count;
        if (range.Start > total)
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_RANGE_EXCEED_TOTAL", $"Provided range exceed total count of data: {total}");
        }

        var end = Math.Min(range.End, total - 1);
        http.Response.Headers["Accept-Range"] = AcceptRange;
        if (total > 0)
        {
            http.Response.Headers.ContentRange = $"{range.Start}-{end}/{total}";
        }

        var page = rows.Skip(range.Start).Take(range.Count).ToList();
        return GlpiResults.Ok(page, end - range.Start + 1 < total ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK);
    }

    /// <summary>Reads <c>{"input": …}</c>; an object or an array of objects, else GLPI's error.</summary>
    private static async Task<(JsonElement Input, IResult? Error)> ReadInputAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted);
        if (string.IsNullOrWhiteSpace(body))
        {
            return (default, GlpiResults.BadArray(http));
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("input", out var input)
                && input.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                ? (input.Clone(), null)
                : (default, GlpiResults.BadArray(http));
        }
        catch (JsonException)
        {
            return (default, GlpiResults.Error(StatusCodes.Status400BadRequest, "ERROR_JSON_PAYLOAD_INVALID", "JSON payload seems not valid"));
        }
    }

    private static IResult? CheckAppToken(HttpContext http, GlpiSandboxOptions options)
    {
        if (string.IsNullOrEmpty(options.AppToken))
        {
            return null;
        }

        var appToken = http.Request.Headers["App-Token"].ToString() is { Length: > 0 } header ? header : http.Request.Query["app_token"].ToString();
        if (string.IsNullOrEmpty(appToken))
        {
            return GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_APP_TOKEN_PARAMETERS_MISSING", "missing parameter app_token");
        }

        return FixedTimeEquals(appToken, options.AppToken)
            ? null
            : GlpiResults.DocumentedError(http, StatusCodes.Status400BadRequest, "ERROR_WRONG_APP_TOKEN_PARAMETER", "parameter app_token seems wrong");
    }

    private static string SessionToken(HttpContext http) =>
        http.Request.Headers["Session-Token"].ToString() is { Length: > 0 } header ? header : http.Request.Query["session_token"].ToString();

    private static bool FixedTimeEquals(string given, string expected) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(expected));

    /// <summary>GLPI's text search: contains, case-insensitive; <c>^</c> anchors the start, <c>$</c> the end.</summary>
    private static bool IsLike(string? value, string search)
    {
        value ??= "";
        var start = search.StartsWith('^');
        var end = search.EndsWith('$') && search.Length > (start ? 1 : 0);
        var core = search[(start ? 1 : 0)..(end ? search.Length - 1 : search.Length)];
        return (start, end) switch
        {
            (true, true) => value.Equals(core, StringComparison.OrdinalIgnoreCase),
            (true, false) => value.StartsWith(core, StringComparison.OrdinalIgnoreCase),
            (false, true) => value.EndsWith(core, StringComparison.OrdinalIgnoreCase),
            _ => value.Contains(core, StringComparison.OrdinalIgnoreCase),
        };
    }

    private static int Ordered(int comparison, string order) => order == "DESC" ? -comparison : comparison;

    private static string? Text(JsonElement input, string name) =>
        input.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>GLPI takes numbers as JSON numbers or numeric strings.</summary>
    private static int? Integer(JsonElement input, string name)
    {
        if (!input.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
    }

    [GeneratedRegex(@"^searchText\[(\w+)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex SearchTextKey();

    [GeneratedRegex("<[^>]+>", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTag();
}
