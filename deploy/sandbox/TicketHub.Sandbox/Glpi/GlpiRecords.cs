namespace TicketHub.Sandbox.Glpi;

/// <summary>A ticket of the emulated GLPI. Immutable: the store swaps whole records under its lock.</summary>
internal sealed record GlpiTicketRecord
{
    public required int Id { get; init; }

    public required int EntityId { get; init; }

    public required string Name { get; init; }

    public required string Content { get; init; }

    /// <summary>1 new, 2 assigned, 3 planned, 4 pending, 5 solved, 6 closed.</summary>
    public int Status { get; init; } = GlpiStatus.New;

    public int Urgency { get; init; } = 3;

    public int Impact { get; init; } = 3;

    public int CategoryId { get; init; }

    /// <summary>1 incident, 2 request.</summary>
    public int Type { get; init; } = 1;

    public string? ExternalId { get; init; }

    /// <summary>The requester, a GLPI user (<c>_users_id_requester</c>), or 0.</summary>
    public int RequesterUserId { get; init; }

    /// <summary>The e-mail notified for a requester who is no GLPI user (<c>_users_id_requester_notif</c>), or null.</summary>
    public string? RequesterEmail { get; init; }

    public int RecipientUserId { get; init; }

    public int LastUpdaterUserId { get; init; }

    public bool IsDeleted { get; init; }

    public required DateTimeOffset Date { get; init; }

    public required DateTimeOffset DateMod { get; init; }

    public DateTimeOffset? SolveDate { get; init; }

    public DateTimeOffset? CloseDate { get; init; }

    /// <summary>GLPI derives it from its urgency × impact matrix; the sandbox simply takes the urgency.</summary>
    public int Priority => Urgency;

    /// <summary>The hub reference the ticket carries: its externalid (GLPI 11), else the <c>[TH-…]</c> that starts its title.</summary>
    public string? HubReference =>
        !string.IsNullOrEmpty(ExternalId) ? ExternalId
        : Name.StartsWith('[') && Name.IndexOf(']', StringComparison.Ordinal) is > 1 and var end ? Name[1..end]
        : null;
}

/// <summary>A follow-up (ITILFollowup) written on a ticket.</summary>
internal sealed record GlpiFollowupRecord
{
    public required int Id { get; init; }

    public required int TicketId { get; init; }

    public required int UserId { get; init; }

    public required string Content { get; init; }

    public bool IsPrivate { get; init; }

    public required DateTimeOffset Date { get; init; }
}

/// <summary>A solution (ITILSolution) given to a ticket: solving it moves the ticket to 5 (solved).</summary>
internal sealed record GlpiSolutionRecord
{
    public required int Id { get; init; }

    public required int TicketId { get; init; }

    public required int UserId { get; init; }

    public required string Content { get; init; }

    /// <summary>2 waiting for the requester's approval, 3 accepted, 4 refused.</summary>
    public int Status { get; init; } = 2;

    public required DateTimeOffset Date { get; init; }
}

/// <summary>GLPI's ticket statuses and the words its French interface uses for them.</summary>
internal static class GlpiStatus
{
    public const int New = 1;
    public const int Assigned = 2;
    public const int Planned = 3;
    public const int Waiting = 4;
    public const int Solved = 5;
    public const int Closed = 6;

    public static readonly IReadOnlyDictionary<int, string> Labels = new Dictionary<int, string>
    {
        [New] = "Nouveau",
        [Assigned] = "En cours (attribué)",
        [Planned] = "En cours (planifié)",
        [Waiting] = "En attente",
        [Solved] = "Résolu",
        [Closed] = "Clos",
    };

    public static readonly IReadOnlyDictionary<int, string> UrgencyLabels = new Dictionary<int, string>
    {
        [1] = "Très basse",
        [2] = "Basse",
        [3] = "Moyenne",
        [4] = "Haute",
        [5] = "Très haute",
    };

    public static string Label(int status) => Labels.TryGetValue(status, out var label) ? label : $"Statut {status}";

    public static string UrgencyLabel(int urgency) => UrgencyLabels.TryGetValue(urgency, out var label) ? label : $"Urgence {urgency}";

    public static string TypeLabel(int type) => type == 2 ? "Demande" : "Incident";
}

/// <summary>
/// Users of the emulated GLPI, as in the real GLPI of the tests (peers/README.md): requesters 7, 8, 9
/// (one per collège, with an e-mail), the API account 10, technician 5.
/// </summary>
internal static class GlpiUsers
{
    /// <summary>The API account whose user_token the connector uses.</summary>
    public const int ApiAccount = 10;

    /// <summary>The technician played through the sandbox's pages.</summary>
    public const int Technician = 5;

    private static readonly Dictionary<int, (string Login, string? FirstName, string? RealName, string? Email)> All = new()
    {
        [Technician] = ("mdurand", "Marc", "Durand", null),
        [7] = ("claire.dubois", "Claire", "Dubois", "claire.dubois@0931234x.example.fr"),
        [8] = ("karim.benali", "Karim", "Benali", "karim.benali@0931235a.example.fr"),
        [9] = ("sophie.lefevre", "Sophie", "Lefèvre", "sophie.lefevre@0931236b.example.fr"),
        [ApiAccount] = ("hub-api", "Hub", "API", null),
    };

    public static string Name(int id) => id switch
    {
        ApiAccount => "hub-api (compte API)",
        Technician => "Marc Durand, technicien (infogérant)",
        _ => Find(id) is { } user ? $"{user.FirstName} {user.RealName}" : $"utilisateur {id}",
    };

    /// <summary>The user as <c>User/{id}</c> answers it (login, first and last name), or null if unknown.</summary>
    public static (string Login, string? FirstName, string? RealName)? Find(int id) =>
        All.TryGetValue(id, out var user) ? (user.Login, user.FirstName, user.RealName) : null;

    /// <summary>Every user, with the e-mail the search engine shows in column 5.</summary>
    public static IEnumerable<(int Id, string Login, string? Email)> List() =>
        All.OrderBy(user => user.Key).Select(user => (user.Key, user.Value.Login, user.Value.Email));
}

/// <summary>A document (Document) of the emulated GLPI: its file is kept as its size and hashes only.</summary>
internal sealed record GlpiDocumentRecord
{
    public required int Id { get; init; }

    public required int EntityId { get; init; }

    public required string Name { get; init; }

    /// <summary>The uploaded file's name, empty for a document without file.</summary>
    public string FileName { get; init; } = "";

    public string Mime { get; init; } = "";

    public long Size { get; init; }

    /// <summary>GLPI keeps a SHA-1 of the file (<c>sha1sum</c>).</summary>
    public string Sha1 { get; init; } = "";

    /// <summary>Lower-case hex, for the sandbox's script endpoints: tests compare it with the hub's.</summary>
    public string Sha256 { get; init; } = "";

    public required int UserId { get; init; }

    public required DateTimeOffset Date { get; init; }
}

/// <summary>A link between a document and an item (Document_Item).</summary>
internal sealed record GlpiDocumentLinkRecord
{
    public required int Id { get; init; }

    public required int DocumentId { get; init; }

    public required string ItemType { get; init; }

    public required int ItemId { get; init; }

    public required DateTimeOffset Date { get; init; }
}
