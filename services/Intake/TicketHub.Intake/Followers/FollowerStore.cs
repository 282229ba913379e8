using System.Data.Common;
using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Conversation;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Followers;

/// <summary>
/// One fault, one ticket (issue 16): a second person who reports the same fault follows the ticket
/// already open instead of opening another, and a duplicate found later is closed with a pointer to
/// the ticket kept, its requester following that one. The team's tool hears of it once, as one
/// message on the kept ticket (<see cref="ConversationStore.AddCommentAsync"/>), never as a second ticket.
/// </summary>
public sealed class FollowerStore(UnitOfWork units, ConversationStore conversation, TicketLifecycle lifecycle, IOutbox outbox, TimeProvider clock)
{
    /// <summary>A follower who joined a ticket from the form, having seen it was the same fault.</summary>
    public const string Reported = "reported";

    /// <summary>The requester of a ticket closed as a duplicate of the followed one.</summary>
    public const string Duplicate = "duplicate";

    private const string SelectTargetSql = """
        SELECT id, reference, status, college_uai, route_target, created_by, requester_name, requester_email, title, external_tool, external_id, duplicate_of
        FROM tickets WHERE id = @Id
        """;

    // The ticket's requester, or one of its followers already: either way, nothing to add.
    private const string IsFollowingSql = """
        SELECT (SELECT COUNT(1) FROM tickets WHERE id = @TicketId AND created_by = @Follower)
            + (SELECT COUNT(1) FROM ticket_followers WHERE ticket_id = @TicketId AND follower = @Follower)
        """;

    private const string InsertFollowerSql = """
        INSERT INTO ticket_followers (ticket_id, follower, name, email, reason, followed_at)
        VALUES (@TicketId, @Follower, @Name, @Email, @Reason, @At)
        """;

    private const string SelectFollowersSql = """
        SELECT follower, name, email, reason, followed_at FROM ticket_followers WHERE ticket_id = @TicketId ORDER BY followed_at, follower
        """;

    /// <summary>
    /// <paramref name="user"/> reported the same fault and follows <paramref name="idOrReference"/>: kept
    /// as a follower, and what they wrote (<paramref name="report"/>) added to the ticket's thread and sent to its tool.
    /// Following again changes nothing.
    /// </summary>
    public Task<FollowResult> FollowAsync(string idOrReference, HubUser user, string? email, string? report, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            var ticket = await ReadTargetAsync(idOrReference, cancellationToken);
            if (ticket is null)
            {
                return FollowResult.NotFound;
            }

            if (ticket.DuplicateOf is { } kept)
            {
                return FollowResult.Conflict($"Cette demande a été rattachée à la demande {kept}, qui suit ce problème : suivez plutôt celle-ci.");
            }

            if (!HubStatuses.IsOpen(ticket.Status))
            {
                return FollowResult.Conflict("Ce signalement est résolu ou clos : si le problème est revenu, envoyez une nouvelle demande.");
            }

            if (ticket.CreatedBy == user.Key)
            {
                return FollowResult.Conflict("Vous avez fait cette demande : vous la suivez déjà.");
            }

            var follower = new FollowerView(user.Name, Reported, clock.GetUtcNow());
            if (!await TryAddAsync(ticket.Id, user.Key, follower, email, cancellationToken))
            {
                return FollowResult.Already(follower);
            }

            var text = report is null
                ? "Même problème signalé par une autre personne du collège, qui suit désormais cette demande."
                : $"Même problème signalé par une autre personne du collège, qui suit désormais cette demande :\n{report}";
            await conversation.AddCommentAsync(ticket.Id, text, user.Name, "requester", [], cancellationToken);
            return FollowResult.Followed(follower);
        }, cancellationToken);

    /// <summary>
    /// Closes <paramref name="idOrReference"/> as a duplicate of <paramref name="keptIdOrReference"/>,
    /// both of one collège and both readable by <paramref name="user"/>: the duplicate closed in the
    /// hub with its pointer, its requester and followers following the kept ticket, one message on the
    /// kept ticket's thread (and tool), and <see cref="TicketClosedAsDuplicate"/> for the duplicate's tool.
    /// </summary>
    public Task<DuplicateResult> CloseAsDuplicateAsync(string idOrReference, string keptIdOrReference, HubUser user, CancellationToken cancellationToken) =>
        units.RunUntilDecidedAsync(() => TryCloseAsDuplicateAsync(idOrReference, keptIdOrReference, user, cancellationToken),
            attempts => new TicketChangedConcurrentlyException(idOrReference, attempts), cancellationToken, maxAttempts: 5);

    private async Task<DuplicateResult?> TryCloseAsDuplicateAsync(string idOrReference, string keptIdOrReference, HubUser user, CancellationToken cancellationToken)
    {
        var duplicate = await ReadTargetAsync(idOrReference, cancellationToken);
        var kept = await ReadTargetAsync(keptIdOrReference, cancellationToken);
        if (duplicate is null || !TicketAccess.CanRead(user, duplicate.Scope))
        {
            return DuplicateResult.NotFound(duplicate?.Scope);
        }

        if (kept is null || !TicketAccess.CanRead(user, kept.Scope))
        {
            return DuplicateResult.Invalid("La demande gardée n'existe pas ou n'est pas dans votre périmètre : indiquez sa référence, par exemple TH-2026-000123.");
        }

        if (kept.Id == duplicate.Id)
        {
            return DuplicateResult.Invalid("Une demande ne peut pas être le doublon d'elle-même : indiquez la demande gardée.");
        }

        if (kept.CollegeUai != duplicate.CollegeUai)
        {
            return DuplicateResult.Conflict($"Les deux demandes viennent de collèges différents ({duplicate.CollegeUai} et {kept.CollegeUai}) : ce ne sont pas des doublons.");
        }

        if (kept.DuplicateOf is { } keptOf)
        {
            return DuplicateResult.Conflict($"La demande {kept.Reference} est elle-même un doublon de {keptOf} : rattachez celle-ci à {keptOf}.");
        }

        if (!HubStatuses.IsOpen(kept.Status))
        {
            return DuplicateResult.Conflict($"La demande {kept.Reference} est résolue ou close : gardez plutôt la demande encore ouverte.");
        }

        if (duplicate.DuplicateOf is not null || !HubStatuses.IsOpen(duplicate.Status))
        {
            return DuplicateResult.Conflict(duplicate.DuplicateOf is { } already
                ? $"Cette demande est déjà un doublon de {already}."
                : "Cette demande est résolue ou close : il n'y a plus rien à rattacher.");
        }

        var state = await TicketLifecycle.ReadStateAsync(duplicate.Id, cancellationToken);
        var note = $"Doublon de {kept.Reference}, où le problème est suivi (rattachée par {user.AuditName}).";
        if (state is null || !await lifecycle.TryCloseAsDuplicateAsync(duplicate.Id, state, kept.Reference, note, cancellationToken))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var requester = duplicate.CreatedBy ?? $"email:{duplicate.RequesterEmail}";
        await TryAddAsync(kept.Id, requester, new FollowerView(duplicate.RequesterName, Duplicate, now), duplicate.RequesterEmail, cancellationToken);
        foreach (var follower in await ReadRowsAsync(duplicate.Id, cancellationToken))
        {
            await TryAddAsync(kept.Id, follower.Follower, new FollowerView(follower.Name, Duplicate, now), follower.Email, cancellationToken);
        }

        await conversation.AddCommentAsync(kept.Id,
            $"La demande {duplicate.Reference} (« {duplicate.Title} »), de {duplicate.RequesterName}, signale le même problème : elle a été close comme doublon de celle-ci, que {duplicate.RequesterName} suit désormais.",
            user.Name, user.Role, [], cancellationToken);
        await outbox.EnqueueAsync(new TicketClosedAsDuplicate(duplicate.Id, duplicate.Reference, duplicate.ExternalTool, duplicate.ExternalId,
            kept.Id, kept.Reference, kept.ExternalTool, kept.ExternalId, user.AuditName, now), cancellationToken);
        var view = await TicketStore.ReadAsync(UnitOfWork.Connection, UnitOfWork.Current, duplicate.Id.ToString(), cancellationToken);
        return DuplicateResult.Done(view!);
    }

    /// <summary>The people following a ticket besides its requester, first first.</summary>
    internal static async Task<IReadOnlyList<FollowerView>> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid ticketId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<FollowerRow>(new CommandDefinition(SelectFollowersSql, new { TicketId = ticketId }, transaction, cancellationToken: cancellationToken)))
            .Select(row => new FollowerView(row.Name, row.Reason, row.FollowedAt))
            .ToList();

    private static async Task<IReadOnlyList<FollowerRow>> ReadRowsAsync(Guid ticketId, CancellationToken cancellationToken) =>
        (await UnitOfWork.Connection.QueryAsync<FollowerRow>(new CommandDefinition(SelectFollowersSql, new { TicketId = ticketId }, UnitOfWork.Current,
            cancellationToken: cancellationToken))).AsList();

    /// <summary>Adds the follower unless already there (the ticket's requester included); false when nothing was added.</summary>
    private static async Task<bool> TryAddAsync(Guid ticketId, string follower, FollowerView view, string? email, CancellationToken cancellationToken)
    {
        var connection = UnitOfWork.Connection;
        var transaction = UnitOfWork.Current;
        var args = new { TicketId = ticketId, Follower = follower };
        if (await connection.ExecuteScalarAsync<int>(new CommandDefinition(IsFollowingSql, args, transaction, cancellationToken: cancellationToken)) > 0)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertFollowerSql, new
        {
            TicketId = ticketId,
            Follower = follower,
            view.Name,
            Email = email,
            view.Reason,
            At = view.Since,
        }, transaction, cancellationToken: cancellationToken));
        return true;
    }

    private static async Task<Target?> ReadTargetAsync(string idOrReference, CancellationToken cancellationToken)
    {
        var connection = UnitOfWork.Connection;
        var transaction = UnitOfWork.Current;
        return await TicketStore.ResolveIdAsync(connection, transaction, idOrReference, cancellationToken) is { } id
            ? await connection.QuerySingleOrDefaultAsync<Target>(new CommandDefinition(SelectTargetSql, new { Id = id }, transaction, cancellationToken: cancellationToken))
            : null;
    }

    private sealed class Target
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string Status { get; init; } = "";
        public string CollegeUai { get; init; } = "";
        public string? RouteTarget { get; init; }
        public string? CreatedBy { get; init; }
        public string RequesterName { get; init; } = "";
        public string RequesterEmail { get; init; } = "";
        public string Title { get; init; } = "";
        public string? ExternalTool { get; init; }
        public string? ExternalId { get; init; }
        public string? DuplicateOf { get; init; }

        public TicketScope Scope => new(CollegeUai, RouteTarget);
    }

    private sealed class FollowerRow
    {
        public string Follower { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Email { get; init; }
        public string Reason { get; init; } = "";
        public DateTimeOffset FollowedAt { get; init; }
    }
}

/// <summary>Someone following a ticket besides its requester: <see cref="Reason"/> <c>reported</c> (joined from the form) or <c>duplicate</c>.</summary>
public sealed record FollowerView(string Name, string Reason, DateTimeOffset Since);

public sealed record FollowResult(bool Found, string? ConflictDetail, FollowerView? Follower, bool IsNew)
{
    public static FollowResult NotFound { get; } = new(false, null, null, false);

    public static FollowResult Conflict(string detail) => new(true, detail, null, false);

    public static FollowResult Followed(FollowerView follower) => new(true, null, follower, true);

    public static FollowResult Already(FollowerView follower) => new(true, null, follower, false);
}

/// <param name="Hidden">The duplicate as its reader may see it (null when missing), to word the refusal.</param>
public sealed record DuplicateResult(TicketScope? Hidden, bool Found, int? Status, string? Detail, TicketView? Ticket)
{
    public static DuplicateResult NotFound(TicketScope? scope) => new(scope, false, null, null, null);

    public static DuplicateResult Invalid(string detail) => new(null, true, StatusCodes.Status422UnprocessableEntity, detail, null);

    public static DuplicateResult Conflict(string detail) => new(null, true, StatusCodes.Status409Conflict, detail, null);

    public static DuplicateResult Done(TicketView ticket) => new(null, true, null, null, ticket);
}
