using Dapper;
using TicketHub.Intake.Http;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Intake.Data;

/// <summary>
/// Keyset paging on a time then an id: a page starts just after the row named by <c>after</c>, so
/// rows that change state meanwhile never shift a page. Each list brings its own SQL.
/// </summary>
public static class KeysetPaging
{
    /// <summary>Reads one page, one row more than asked to know whether another page follows.</summary>
    /// <param name="sortKeySql">
    /// Selects the time the list is sorted on, of the row whose id is <c>@Id</c>; it may use the
    /// parameters of <paramref name="filters"/> too (a list limited to a user's scope accepts as
    /// <c>after</c> only a row of that scope, so that <c>after</c> tells nothing of the others).
    /// </param>
    /// <param name="pageSql">
    /// Selects at most <c>@Take</c> rows ordered by time then id (either way, as long as it is the
    /// same as the <c>after</c> condition), only those after (<c>@AfterAt</c>, <c>@AfterId</c>) when
    /// these are not null; <paramref name="filters"/> gives its other parameters.
    /// </param>
    /// <returns>Null when <see cref="PageRequest.After"/> names no row.</returns>
    public static async Task<Page<TView>?> ReadAsync<TRow, TView>(
        IDbConnectionFactory connections, string sortKeySql, string pageSql, object filters, PageRequest page,
        Func<TRow, TView> toView, Func<TView, Guid> idOf, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        DateTimeOffset? afterAt = null;
        if (page.After is { } afterId)
        {
            var key = new DynamicParameters(filters);
            key.AddDynamicParams(new { Id = afterId });
            afterAt = await connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(
                new CommandDefinition(sortKeySql, key, cancellationToken: cancellationToken));
            if (afterAt is null)
            {
                return null;
            }
        }

        // Typed like the filters (an anonymous object), so that the type handlers apply to both.
        var parameters = new DynamicParameters(filters);
        parameters.AddDynamicParams(new { AfterAt = afterAt, AfterId = page.After, Take = page.Limit + 1 });
        var rows = (await connection.QueryAsync<TRow>(new CommandDefinition(pageSql, parameters, cancellationToken: cancellationToken))).AsList();
        var items = rows.Take(page.Limit).Select(toView).ToList();
        return new Page<TView>(items, rows.Count > page.Limit ? idOf(items[^1]) : null);
    }
}
