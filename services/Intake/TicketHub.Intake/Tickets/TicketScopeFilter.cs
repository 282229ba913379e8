using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.Contracts;
using TicketHub.ServiceDefaults;
using TicketHub.ServiceDefaults.Security;

namespace TicketHub.Intake.Tickets;

/// <summary>
/// The query parameters that choose which tickets a list or the indicators cover (<c>ut</c>,
/// <c>collegeUai</c>, <c>target</c>, <c>tool</c>): each one's check, worded in French, and the
/// reader's scope forced onto them (<see cref="TicketAccess"/>). Each caller keeps its own order of
/// checks and its own way of answering them (the first alone, or all at once).
/// </summary>
public static class TicketScopeFilter
{
    public const int UtMaxLength = 50;

    /// <summary>Why <paramref name="ut"/> is refused; null when it is absent or valid.</summary>
    public static string? UtError(string? ut) =>
        ut is not null && (ut.Length > UtMaxLength || ut.Any(char.IsControl))
            ? $"« ut » est le nom d'une unité territoriale (ex. UT1), {UtMaxLength} caractères au plus."
            : null;

    /// <summary>Why <paramref name="collegeUai"/> is refused; null when it is absent or valid.</summary>
    public static string? CollegeUaiError(string? collegeUai) =>
        collegeUai is not null && !FieldFormats.IsUai(collegeUai) ? $"« collegeUai » est un code UAI : {FieldFormats.UaiRule}." : null;

    /// <summary>Why <paramref name="target"/> is refused; null when it is absent or valid.</summary>
    public static string? TargetError(string? target) =>
        target is not null && !RouteTargets.All.Contains(target, StringComparer.Ordinal) ? $"« target » vaut {string.Join(", ", RouteTargets.All)}." : null;

    /// <summary>Why <paramref name="tool"/> is refused; null when it is absent or valid.</summary>
    public static string? ToolError(string? tool) =>
        tool is not null && !ExternalTools.All.Contains(tool, StringComparer.Ordinal) ? $"« tool » vaut {string.Join(", ", ExternalTools.All)}." : null;

    /// <summary>
    /// The <paramref name="collegeUai"/> and <paramref name="target"/> asked, narrowed to what
    /// <paramref name="user"/> may see: a collège gets its own UAI, a team its route target
    /// (<see cref="TicketAccess.TargetOf"/>). Asking for another collège or another target is a 403
    /// saying what the reader does see: « Vous ne voyez que <paramref name="seen"/> de votre collège »,
    /// « Vous ne voyez que <paramref name="seenRouted"/> orientées vers … ».
    /// </summary>
    public static (string? CollegeUai, string? Target, ProblemHttpResult? Refusal) Restrict(
        HubUser user, string? collegeUai, string? target, string seen, string seenRouted)
    {
        if (user.IsCollege)
        {
            if (collegeUai is not null && collegeUai != user.Uai)
            {
                return (null, null, Problems.Of(StatusCodes.Status403Forbidden, $"Vous ne voyez que {seen} de votre collège ({user.Uai})."));
            }

            collegeUai = user.Uai;
        }

        if (TicketAccess.TargetOf(user) is { } scope)
        {
            if (target is not null && target != scope)
            {
                return (null, null, Problems.Of(StatusCodes.Status403Forbidden, $"Vous ne voyez que {seenRouted} orientées vers {RouteTargets.FrenchName(scope)}."));
            }

            target = scope;
        }

        return (collegeUai, target, null);
    }
}
