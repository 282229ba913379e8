using Microsoft.AspNetCore.Http.HttpResults;
using TicketHub.ServiceDefaults;

namespace TicketHub.Intake.Http;

/// <summary>
/// The list parameters of intake's API, each wrong value with its French problem: <c>limit</c>
/// (100 by default, 500 at most) and, for the lists read page by page, <c>after</c> (the
/// <c>next</c> of the previous page).
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>Reads <c>limit</c>; a problem when it is outside 1 to <see cref="MaxLimit"/>.</summary>
    public static ProblemHttpResult? ReadLimit(int? limit, out int take)
    {
        take = limit ?? DefaultLimit;
        return limit is < 1 or > MaxLimit
            ? Problems.Of(StatusCodes.Status400BadRequest, $"« limit » va de 1 à {MaxLimit}.")
            : null;
    }

    /// <summary>Reads <c>limit</c> then <c>after</c>; a problem for the first one that is wrong.</summary>
    public static ProblemHttpResult? Read(int? limit, string? after, out PageRequest page)
    {
        page = default;
        if (ReadLimit(limit, out var take) is { } problem)
        {
            return problem;
        }

        Guid? afterId = null;
        if (!string.IsNullOrWhiteSpace(after))
        {
            if (!Guid.TryParse(after.Trim(), out var parsed))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "« after » reprend la valeur « next » de la page précédente.");
            }

            afterId = parsed;
        }

        page = new PageRequest(take, afterId);
        return null;
    }

    /// <summary>
    /// The problem when <c>after</c> names no row of the list (it was never there, or is gone):
    /// <paramref name="none"/> says so in the list's words, e.g. « aucun message en échec ».
    /// </summary>
    public static ProblemHttpResult UnknownAfter(string none) =>
        Problems.Of(StatusCodes.Status400BadRequest, $"« after » ne désigne {none} : reprenez la liste depuis le début.");
}

/// <summary>Which page to read: at most <paramref name="Limit"/> rows, after the row <paramref name="After"/> (from the start when null).</summary>
public readonly record struct PageRequest(int Limit, Guid? After);

/// <summary>One page of a list, in the list's order (oldest first, or newest first for the tickets).</summary>
/// <param name="Next">Pass it as <c>after</c> to read the next page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, Guid? Next);
