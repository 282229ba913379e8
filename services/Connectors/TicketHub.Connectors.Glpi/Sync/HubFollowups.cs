using System.Data.Common;
using Dapper;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Connectors.Glpi.Sync;

/// <summary>
/// The follow-ups the hub itself wrote in GLPI (<c>hub_followups</c>). Whoever posts one records it
/// in the transaction that commits the work it belongs to; the status sync never reports them back
/// as replies (echo suppression).
/// </summary>
internal static class HubFollowups
{
    /// <summary>GLPI numbers follow-ups once; a follow-up already recorded (a test double reusing ids) is left as it is.</summary>
    private const string InsertSql = """
        INSERT INTO hub_followups (followup_id, ticket_id, comment_id, posted_at)
        SELECT @FollowupId, @TicketId, @CommentId, @Now
        WHERE NOT EXISTS (SELECT 1 FROM hub_followups WHERE followup_id = @FollowupId)
        """;

    private const string SelectByCommentSql = "SELECT followup_id FROM hub_followups WHERE comment_id = @CommentId";

    private const string SelectByTicketSql = "SELECT followup_id FROM hub_followups WHERE ticket_id = @TicketId";

    public static Task RecordAsync(int followupId, Guid ticketId, Guid? commentId, DateTimeOffset now, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.ExecuteAsync(new CommandDefinition(
            InsertSql, new { FollowupId = followupId, TicketId = ticketId, CommentId = commentId, Now = now }, UnitOfWork.Current, cancellationToken: cancellationToken));

    /// <summary>The GLPI follow-up that carries comment <paramref name="commentId"/>, or null.</summary>
    public static Task<int?> FindByCommentAsync(Guid commentId, CancellationToken cancellationToken) =>
        UnitOfWork.Connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            SelectByCommentSql, new { CommentId = commentId }, UnitOfWork.Current, cancellationToken: cancellationToken));

    public static async Task<IReadOnlySet<int>> OfTicketAsync(DbConnection connection, Guid ticketId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<int>(new CommandDefinition(SelectByTicketSql, new { TicketId = ticketId }, cancellationToken: cancellationToken)))
            .ToHashSet();
}
