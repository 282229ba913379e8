using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// Section <c>TicketCreation:Quota</c>: what intake stores over the last 24 hours, per collège
/// (whoever files for it) and per caller (a person or an API key). The rate limit stops bursts; the
/// quota stops a steady flood that would fill the database (issue 12).
/// </summary>
public sealed class TicketQuotaOptions
{
    public const string SectionName = "TicketCreation:Quota";

    [Range(1, 1_000_000)]
    public int TicketsPerCollegePerDay { get; set; } = 200;

    [Range(1, long.MaxValue)]
    public long AttachmentBytesPerCollegePerDay { get; set; } = 500L * 1024 * 1024;

    [Range(1, 1_000_000)]
    public int TicketsPerCallerPerDay { get; set; } = 1_000;

    [Range(1, long.MaxValue)]
    public long AttachmentBytesPerCallerPerDay { get; set; } = 1024L * 1024 * 1024;
}

/// <summary>
/// Checks a new ticket against <see cref="TicketQuotaOptions"/> before it is stored: too many tickets
/// is a 429 (with <c>Retry-After</c>), too many bytes of attachments a 413, each with a French detail
/// naming the quota. Two requests at the same instant may both pass the last place: the quota is a
/// guard against floods, not an exact count.
/// </summary>
public sealed class TicketQuota(IDbConnectionFactory connections, IOptions<TicketQuotaOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private const string CollegeUsageSql = """
        SELECT
            (SELECT COUNT(*) FROM tickets WHERE college_uai = @Key AND created_at >= @Since) AS Tickets,
            (SELECT COALESCE(SUM(a.size), 0) FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id
             WHERE t.college_uai = @Key AND a.created_at >= @Since) AS Bytes
        """;

    private const string CallerUsageSql = """
        SELECT
            (SELECT COUNT(*) FROM tickets WHERE created_by = @Key AND created_at >= @Since) AS Tickets,
            (SELECT COALESCE(SUM(a.size), 0) FROM ticket_attachments a JOIN tickets t ON t.id = a.ticket_id
             WHERE t.created_by = @Key AND a.created_at >= @Since) AS Bytes
        """;

    /// <summary>The refusal when one more ticket of <paramref name="attachmentBytes"/> would pass a quota; null when it fits.</summary>
    public async Task<ProblemHttpResult?> CheckAsync(string caller, string collegeUai, long attachmentBytes, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var since = clock.GetUtcNow() - Window;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var college = await connection.QuerySingleAsync<Usage>(new CommandDefinition(CollegeUsageSql, new { Key = collegeUai, Since = since }, cancellationToken: cancellationToken));
        var own = await connection.QuerySingleAsync<Usage>(new CommandDefinition(CallerUsageSql, new { Key = caller, Since = since }, cancellationToken: cancellationToken));

        if (college.Tickets >= limits.TicketsPerCollegePerDay)
        {
            return TooMany($"Le collège {collegeUai} a atteint son quota de {limits.TicketsPerCollegePerDay} demandes sur 24 heures. Réessayez plus tard ; en cas d'urgence, appelez le Pôle TIE.");
        }

        if (own.Tickets >= limits.TicketsPerCallerPerDay)
        {
            return TooMany($"Vous avez atteint votre quota de {limits.TicketsPerCallerPerDay} demandes sur 24 heures. Réessayez plus tard.");
        }

        if (attachmentBytes > 0 && college.Bytes + attachmentBytes > limits.AttachmentBytesPerCollegePerDay)
        {
            return TooLarge($"Les pièces jointes du collège {collegeUai} dépasseraient son quota de {Size(limits.AttachmentBytesPerCollegePerDay)} sur 24 heures (reste {Size(Math.Max(0, limits.AttachmentBytesPerCollegePerDay - college.Bytes))}). Envoyez la demande sans pièce jointe ou plus tard.");
        }

        if (attachmentBytes > 0 && own.Bytes + attachmentBytes > limits.AttachmentBytesPerCallerPerDay)
        {
            return TooLarge($"Vos pièces jointes dépasseraient votre quota de {Size(limits.AttachmentBytesPerCallerPerDay)} sur 24 heures (reste {Size(Math.Max(0, limits.AttachmentBytesPerCallerPerDay - own.Bytes))}). Envoyez la demande sans pièce jointe ou plus tard.");
        }

        return null;
    }

    /// <summary>
    /// Why the files of a comment (<paramref name="bytes"/> in all) would pass the collège's quota of
    /// attachments, in French; null when they fit. Files stored in the last 24 hours count, whichever
    /// ticket or comment brought them.
    /// </summary>
    public async Task<string?> CheckCommentFilesAsync(string collegeUai, long bytes, CancellationToken cancellationToken)
    {
        if (bytes <= 0)
        {
            return null;
        }

        var limit = options.Value.AttachmentBytesPerCollegePerDay;
        await using var connection = await connections.OpenAsync(cancellationToken);
        var college = await connection.QuerySingleAsync<Usage>(new CommandDefinition(CollegeUsageSql,
            new { Key = collegeUai, Since = clock.GetUtcNow() - Window }, cancellationToken: cancellationToken));
        return college.Bytes + bytes > limit
            ? $"Les pièces jointes du collège {collegeUai} dépasseraient son quota de {Size(limit)} sur 24 heures (reste {Size(Math.Max(0, limit - college.Bytes))}). Envoyez le message sans pièce jointe ou plus tard."
            : null;
    }

    private static ProblemHttpResult TooMany(string detail) => Problems.Of(StatusCodes.Status429TooManyRequests, detail);

    private static ProblemHttpResult TooLarge(string detail) => Problems.Of(StatusCodes.Status413PayloadTooLarge, detail);

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024 * 1024)} Mo" : $"{(bytes + 1023) / 1024} Ko";

    private sealed class Usage
    {
        public long Tickets { get; set; }
        public long Bytes { get; set; }
    }
}
