using System.Data.Common;
using Dapper;
using TicketHub.Contracts;
using TicketHub.Intake.Data;
using TicketHub.Intake.Http;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;
using TicketHub.ServiceDefaults.Messaging;

namespace TicketHub.Intake.Relay;

/// <summary>
/// The relay queue: what the operators of PASS and Omère must enter by hand (tools without an API,
/// in <c>manual</c> delivery mode), and their confirmations, which go back to the connector.
/// </summary>
public sealed class RelayStore(IDbConnectionFactory connections, UnitOfWork units, IOutbox outbox, TimeProvider clock)
{
    /// <summary>Tools whose connector can ask for manual entry.</summary>
    public static IReadOnlySet<string> Tools { get; } = new HashSet<string>(StringComparer.Ordinal) { ExternalTools.Pass, ExternalTools.Omere };

    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal) { RelayItemKinds.Ticket, RelayItemKinds.Comment };

    private const string SelectTicketStatusSql = "SELECT status FROM tickets WHERE id = @Id";

    // The item id is the connector's: the same request seen twice (even under two message ids) is one item.
    private const string InsertItemSql = """
        INSERT INTO relay_items (item_id, ticket_id, reference, tool, kind, queue, subject, body, external_id, requested_at, state)
        SELECT @ItemId, @TicketId, @Reference, @Tool, @Kind, @Queue, @Subject, @Body, @ExternalId, @RequestedAt, @State
        WHERE NOT EXISTS (SELECT 1 FROM relay_items WHERE item_id = @ItemId)
        """;

    /// <summary>
    /// Queues a connector's request, once per item id, and tells the collège in the ticket's
    /// timeline that a person is entering its ticket or its message.
    /// </summary>
    /// <returns>False when the item was already queued.</returns>
    public async Task<bool> AddAsync(RelayItemRequested request, CancellationToken cancellationToken)
    {
        if (!Tools.Contains(request.Tool) || !Kinds.Contains(request.Kind))
        {
            throw new InvalidOperationException(
                $"Relay item {request.ItemId}: tool '{request.Tool}' and kind '{request.Kind}' must be one of {string.Join('/', Tools)} and {string.Join('/', Kinds)}.");
        }

        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var status = await connection.QuerySingleOrDefaultAsync<string?>(
                new CommandDefinition(SelectTicketStatusSql, new { Id = request.TicketId }, transaction, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"Relay item {request.ItemId}: ticket {request.TicketId} does not exist.");

        var inserted = await connection.ExecuteAsync(new CommandDefinition(InsertItemSql, new
        {
            request.ItemId,
            request.TicketId,
            request.Reference,
            request.Tool,
            request.Kind,
            request.Queue,
            request.Subject,
            request.Body,
            request.ExternalId,
            request.RequestedAt,
            State = RelayStates.Pending,
        }, transaction, cancellationToken: cancellationToken));
        if (inserted == 0)
        {
            return false;
        }

        string? note = request.Kind == RelayItemKinds.Ticket
            ? $"En attente de saisie manuelle par {ToolNames.Of(request.Tool)}."
            : await IsCollegeCommentAsync(request.TicketId, request.ItemId, cancellationToken)
                ? $"Votre message attend d'être recopié à la main par {ToolNames.Of(request.Tool)}."
                : null;
        if (note is not null)
        {
            await TicketHistory.AddAsync(request.TicketId, status, request.RequestedAt, note, cancellationToken);
        }

        return true;
    }

    private const string CountCollegeCommentSql = "SELECT COUNT(1) FROM ticket_messages WHERE ticket_id = @TicketId AND comment_id = @CommentId";

    /// <summary>
    /// Whether a comment item carries the collège's own message (its item id is the comment's id)
    /// rather than a note of the connector's, such as "re-routed, close your ticket", which the
    /// collège has no reason to see.
    /// </summary>
    private static async Task<bool> IsCollegeCommentAsync(Guid ticketId, Guid itemId, CancellationToken cancellationToken) =>
        await UnitOfWork.Connection.ExecuteScalarAsync<int>(new CommandDefinition(CountCollegeCommentSql,
            new { TicketId = ticketId, CommentId = itemId }, UnitOfWork.Current, cancellationToken: cancellationToken)) > 0;

    private const string ItemColumns = """
        r.item_id, r.ticket_id, r.reference, t.college_uai, t.status AS ticket_status, r.tool, r.kind, r.queue, r.subject, r.body,
            r.external_id, r.requested_at, r.state, r.acknowledged_external_id, r.acknowledged_by, r.acknowledged_at
        """;

    private const string ItemSource = """
        FROM relay_items r JOIN tickets t ON t.id = r.ticket_id
        """;

    private const string ListFilter = """
        WHERE (@Tool IS NULL OR r.tool = @Tool) AND (@Queue IS NULL OR r.queue = @Queue) AND (@State IS NULL OR r.state = @State)
            AND (@AfterAt IS NULL OR r.requested_at > @AfterAt OR (r.requested_at = @AfterAt AND r.item_id > @AfterId))
        ORDER BY r.requested_at, r.item_id
        """;

    private const string ListSqliteSql = "SELECT " + ItemColumns + "\n" + ItemSource + "\n" + ListFilter + "\nLIMIT @Take";

    // Optional filters: RECOMPILE lets SQL Server pick the index for the filters actually given.
    private const string ListSqlServerSql = "SELECT TOP (@Take) " + ItemColumns + "\n" + ItemSource + "\n" + ListFilter + "\nOPTION (RECOMPILE)";

    private const string SelectItemSql = "SELECT " + ItemColumns + "\n" + ItemSource + "\nWHERE r.item_id = @ItemId";

    private const string SelectRequestedAtSql = "SELECT requested_at FROM relay_items WHERE item_id = @Id";

    /// <summary>
    /// One page of items, oldest request first (keyset paging on request time then item id, so
    /// that items confirmed meanwhile never shift a page).
    /// </summary>
    /// <returns>Null when the page's <c>after</c> names no item.</returns>
    public Task<Page<RelayItemView>?> ListAsync(string? tool, string? queue, string? state, PageRequest page, CancellationToken cancellationToken) =>
        KeysetPaging.ReadAsync<ItemRow, RelayItemView>(connections, SelectRequestedAtSql, connections.Dialect.Pick(ListSqliteSql, ListSqlServerSql),
            new { Tool = tool, Queue = queue, State = state }, page, r => r.ToView(), v => v.ItemId, cancellationToken);

    public async Task<RelayItemView?> FindAsync(Guid itemId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, itemId, cancellationToken);
    }

    private const string AcknowledgeSql = """
        UPDATE relay_items SET state = @Acknowledged, acknowledged_external_id = @ExternalId, acknowledged_by = @By, acknowledged_at = @Now
        WHERE item_id = @ItemId AND state = @Pending
        """;

    /// <summary>
    /// Records an operator's confirmation and publishes <see cref="RelayItemAcknowledged"/> in the
    /// same transaction. Confirming again with the same number changes nothing; with another
    /// number it is a conflict. The ticket becomes forwarded when the connector says so.
    /// </summary>
    public async Task<AcknowledgeResult> AcknowledgeAsync(Guid itemId, string? externalId, string by, CancellationToken cancellationToken)
    {
        // Null when someone else confirmed it between the read and the update: read it again.
        return await units.RunUntilDecidedAsync(() => TryAcknowledgeAsync(itemId, externalId, by, cancellationToken),
            attempts => new InvalidOperationException($"Relay item {itemId} changed concurrently {attempts} times in a row."), cancellationToken);
    }

    private async Task<AcknowledgeResult?> TryAcknowledgeAsync(Guid itemId, string? externalId, string by, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var item = await ReadAsync(connection, transaction, itemId, cancellationToken);
        if (item is null)
        {
            return AcknowledgeResult.NotFound;
        }

        if (InvalidNumber(item, externalId) is { } invalid)
        {
            return AcknowledgeResult.Invalid(invalid);
        }

        if (item.Acknowledgement is { } done)
        {
            return done.ExternalId == externalId
                ? AcknowledgeResult.Done(item)
                : AcknowledgeResult.Conflict(
                    $"Cet élément a déjà été confirmé avec le numéro {done.ExternalId} par {done.By} : vérifiez le numéro saisi dans l'outil.");
        }

        var now = clock.GetUtcNow();
        var updated = await connection.ExecuteAsync(new CommandDefinition(AcknowledgeSql, new
        {
            ItemId = itemId,
            ExternalId = externalId,
            By = by,
            Now = now,
            Acknowledged = RelayStates.Acknowledged,
            Pending = RelayStates.Pending,
        }, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            return null;
        }

        await outbox.EnqueueAsync(new RelayItemAcknowledged(item.ItemId, item.TicketId, item.Reference, item.Tool, item.Kind,
            externalId ?? item.ExternalId, by, now), cancellationToken);
        if (item.Kind == RelayItemKinds.Comment && await IsCollegeCommentAsync(item.TicketId, item.ItemId, cancellationToken))
        {
            await TicketHistory.AddAsync(item.TicketId, item.TicketStatus, now,
                $"Votre message a été recopié par {ToolNames.Of(item.Tool)}.", cancellationToken);
        }

        return AcknowledgeResult.Done((await ReadAsync(connection, transaction, itemId, cancellationToken))!);
    }

    private static string? InvalidNumber(RelayItemView item, string? externalId) => (item.Kind, externalId) switch
    {
        (RelayItemKinds.Ticket, null) =>
            $"Indiquez le numéro que {ToolNames.Of(item.Tool)} a donné à la demande : il sert à suivre la demande.",
        (RelayItemKinds.Comment, not null) =>
            "Un commentaire recopié n'a pas de numéro propre : n'envoyez pas « externalId ».",
        _ => null,
    };

    private static async Task<RelayItemView?> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid itemId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ItemRow>(
            new CommandDefinition(SelectItemSql, new { ItemId = itemId }, transaction, cancellationToken: cancellationToken));
        return row?.ToView();
    }

    private sealed class ItemRow
    {
        public Guid ItemId { get; init; }
        public Guid TicketId { get; init; }
        public string Reference { get; init; } = "";
        public string CollegeUai { get; init; } = "";
        public string TicketStatus { get; init; } = "";
        public string Tool { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Queue { get; init; }
        public string Subject { get; init; } = "";
        public string Body { get; init; } = "";
        public string? ExternalId { get; init; }
        public DateTimeOffset RequestedAt { get; init; }
        public string State { get; init; } = "";
        public string? AcknowledgedExternalId { get; init; }
        public string? AcknowledgedBy { get; init; }
        public DateTimeOffset? AcknowledgedAt { get; init; }

        public RelayItemView ToView() => new(
            ItemId, TicketId, Reference, CollegeUai, TicketStatus, Tool, Kind, Queue, Subject, Body, ExternalId, RequestedAt, State,
            State == RelayStates.Acknowledged && AcknowledgedBy is not null && AcknowledgedAt is { } at
                ? new RelayAcknowledgement(AcknowledgedBy, at, AcknowledgedExternalId)
                : null);
    }
}

public sealed record AcknowledgeResult(bool Found, string? InvalidDetail, string? ConflictDetail, RelayItemView? Item)
{
    public static AcknowledgeResult NotFound { get; } = new(false, null, null, null);

    public static AcknowledgeResult Invalid(string detail) => new(true, detail, null, null);

    public static AcknowledgeResult Conflict(string detail) => new(true, null, detail, null);

    public static AcknowledgeResult Done(RelayItemView item) => new(true, null, null, item);
}
