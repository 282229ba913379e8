using Dapper;
using TicketHub.Intake.Tickets;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Attachments;

/// <summary>Reads back the files stored with a ticket (<see cref="TicketStore"/> stores them with it).</summary>
public sealed class AttachmentStore(IDbConnectionFactory connections)
{
    private const string SelectTicketScopeSql = "SELECT id, college_uai, route_target FROM tickets WHERE id = @Id";

    private const string SelectTicketScopeByReferenceSql = "SELECT id, college_uai, route_target FROM tickets WHERE reference = @Reference";

    private const string SelectAttachmentSql = """
        SELECT file_name, content_type, content FROM ticket_attachments WHERE ticket_id = @TicketId AND id = @Id
        """;

    /// <summary>The ticket's id and what decides who may see it; null when no ticket has that id or reference.</summary>
    public async Task<(Guid Id, TicketScope Scope)?> FindTicketAsync(string idOrReference, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        (string Sql, object Args) query;
        if (Guid.TryParse(idOrReference, out var id))
        {
            query = (SelectTicketScopeSql, new { Id = id });
        }
        else if (TicketReference.LooksLikeReference(idOrReference))
        {
            query = (SelectTicketScopeByReferenceSql, new { Reference = idOrReference });
        }
        else
        {
            return null;
        }

        var row = await connection.QuerySingleOrDefaultAsync<ScopeRow>(new CommandDefinition(query.Sql, query.Args, cancellationToken: cancellationToken));
        return row is null ? null : (row.Id, new TicketScope(row.CollegeUai, row.RouteTarget));
    }

    public async Task<StoredAttachment?> FindAsync(Guid ticketId, Guid attachmentId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredAttachment>(
            new CommandDefinition(SelectAttachmentSql, new { TicketId = ticketId, Id = attachmentId }, cancellationToken: cancellationToken));
    }

    private sealed record ScopeRow(Guid Id, string CollegeUai, string? RouteTarget);
}

public sealed record StoredAttachment(string FileName, string ContentType, byte[] Content);
