namespace TicketHub.Sandbox.PassOmere;

/// <summary>
/// A ticket of an emulated tool. Immutable: the store swaps whole records under its lock. What the hub
/// sent is kept twice: read (<see cref="Received"/>, for the pages) and as it came (<see cref="ReceivedJson"/>).
/// </summary>
internal sealed record ToolTicketRecord
{
    /// <summary>The tool's number, see <see cref="ExternalTool.FormatId"/>.</summary>
    public required string Id { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Moves on every status change and message, never backwards (see <see cref="ExternalToolStore"/>).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    public required NewTicketPayload Received { get; init; }

    public required string ReceivedJson { get; init; }

    /// <summary>Oldest first; only ever appended.</summary>
    public IReadOnlyList<ToolMessageRecord> Messages { get; init; } = [];

    public string Reference => Received.Reference;
}

/// <summary>A message on a ticket, in the contract's <c>Message</c> shape (it is serialized as is).</summary>
internal sealed record ToolMessageRecord(
    string Id,
    string Body,
    string? AuthorName,
    string AuthorRole,
    bool Public,
    string? HubMessageId,
    DateTimeOffset CreatedAt);

/// <summary>The contract's <c>NewTicket</c>, once validated.</summary>
internal sealed record NewTicketPayload(
    string Reference,
    string Title,
    string Description,
    string Category,
    string Type,
    string Urgency,
    string? Queue,
    string? Location,
    string? Equipment,
    IReadOnlyList<string> Flags,
    CollegePayload College,
    RequesterPayload Requester,
    RoutingPayload? Routing,
    DateTimeOffset CreatedAt);

internal sealed record CollegePayload(string Uai, string Name, string? Commune, string? Ut);

internal sealed record RequesterPayload(string Name, string Email, string? Phone);

internal sealed record RoutingPayload(string? Rule, string? Explanation);

/// <summary>The contract's <c>NewMessage</c>, once validated.</summary>
internal sealed record NewMessagePayload(Guid HubMessageId, string HubMessageIdText, string Body, string AuthorName);

/// <summary>The statuses of the emulated tools (the hub maps them through <c>Pass:StatusMapping</c> and the like).</summary>
internal static class ToolStatus
{
    public const string New = "new";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [New] = "Nouveau",
        ["assigned"] = "Attribué",
        ["pending"] = "En attente",
        ["solved"] = "Résolu",
        ["closed"] = "Clos",
    };

    public static string Label(string status) => Labels.TryGetValue(status, out var label) ? label : status;
}

/// <summary>Who wrote a message (<c>authorRole</c>).</summary>
internal static class AuthorRoles
{
    public const string Technician = "technician";
    public const string Requester = "requester";
    public const string Hub = "hub";

    public static string Label(string role) => role switch
    {
        Technician => "technicien",
        Requester => "demandeur",
        Hub => "TicketHub",
        _ => role,
    };
}

/// <summary>French labels for the contract's enumerations and flags.</summary>
internal static class TicketLabels
{
    public static string Type(string type) => type switch
    {
        "incident" => "Incident",
        "request" => "Demande",
        _ => type,
    };

    public static string Urgency(string urgency) => urgency switch
    {
        "low" => "Basse",
        "normal" => "Normale",
        "high" => "Haute",
        "critical" => "Critique",
        _ => urgency,
    };

    public static string Flag(string flag) => flag switch
    {
        "dat-amiante" => "dat-amiante : consulter le DAT (amiante) avant toute intervention",
        _ => flag,
    };
}
