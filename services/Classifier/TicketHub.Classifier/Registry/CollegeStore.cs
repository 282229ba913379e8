using System.Globalization;
using System.Text.Json;
using Dapper;
using TicketHub.ServiceDefaults.Data;

namespace TicketHub.Classifier.Registry;

/// <summary>The registry table and its audit trail. Every change records who made it and what changed.</summary>
public sealed class CollegeStore(IDbConnectionFactory connections, UnitOfWork units, TimeProvider clock)
{
    private const string SelectColumns = """
        uai AS Uai, name AS Name, commune AS Commune, ut AS Ut, cite_mixte AS CiteMixte,
        za_reprise_date AS ZaRepriseDate, built_year AS BuiltYear, updated_at AS UpdatedAt
        """;

    private const string ListSql = $"SELECT {SelectColumns} FROM colleges ORDER BY uai";

    private const string FindSql = $"SELECT {SelectColumns} FROM colleges WHERE uai = @Uai";

    private const string CountSql = "SELECT COUNT(1) FROM colleges";

    private const string UpdateSql = """
        UPDATE colleges
        SET name = @Name, commune = @Commune, ut = @Ut, cite_mixte = @CiteMixte,
            za_reprise_date = @ZaRepriseDate, built_year = @BuiltYear, updated_at = @UpdatedAt
        WHERE uai = @Uai
        """;

    private const string InsertSql = """
        INSERT INTO colleges (uai, name, commune, ut, cite_mixte, za_reprise_date, built_year, updated_at)
        VALUES (@Uai, @Name, @Commune, @Ut, @CiteMixte, @ZaRepriseDate, @BuiltYear, @UpdatedAt)
        """;

    private const string InsertAuditSql = """
        INSERT INTO college_audit (uai, changed_by, changed_at, action, changes)
        VALUES (@Uai, @ChangedBy, @ChangedAt, @Action, @Changes)
        """;

    private const string ListAuditSql = """
        SELECT changed_by AS ChangedBy, changed_at AS ChangedAt, action AS Action, changes AS Changes
        FROM college_audit WHERE uai = @Uai ORDER BY id
        """;

    public async Task<IReadOnlyList<RegisteredCollege>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CollegeRow>(new CommandDefinition(ListSql, cancellationToken: cancellationToken));
        return [.. rows.Select(row => row.ToRegistered())];
    }

    /// <summary>Reads a collège, in the unit of work in progress if any (a consumer's, with its inbox record).</summary>
    public Task<RegisteredCollege?> FindAsync(string uai, CancellationToken cancellationToken) =>
        units.RunAsync(async () =>
        {
            var row = await UnitOfWork.Connection.QuerySingleOrDefaultAsync<CollegeRow>(
                new CommandDefinition(FindSql, new { Uai = uai }, UnitOfWork.Current, cancellationToken: cancellationToken));
            return row?.ToRegistered();
        }, cancellationToken);

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountSql, cancellationToken: cancellationToken));
    }

    public Task<SaveOutcome> SaveAsync(College college, string changedBy, CancellationToken cancellationToken) =>
        units.RunAsync(() => SaveAsync(college, changedBy, clock.GetUtcNow(), cancellationToken), cancellationToken);

    /// <summary>Creates or updates every collège of the file in one transaction; others are left as they are.</summary>
    public async Task<ImportSummary> ImportAsync(IReadOnlyList<College> colleges, string changedBy, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var outcomes = await units.RunAsync(async () =>
        {
            var saved = new List<SaveOutcome>(colleges.Count);
            foreach (var college in colleges)
            {
                saved.Add(await SaveAsync(college, changedBy, now, cancellationToken));
            }

            return saved;
        }, cancellationToken);
        return new ImportSummary(
            Imported: colleges.Count,
            Created: outcomes.Count(o => o == SaveOutcome.Created),
            Updated: outcomes.Count(o => o == SaveOutcome.Updated));
    }

    public async Task<IReadOnlyList<CollegeAuditEntry>> ListAuditAsync(string uai, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AuditRow>(new CommandDefinition(ListAuditSql, new { Uai = uai }, cancellationToken: cancellationToken));
        return [.. rows.Select(row => new CollegeAuditEntry(row.ChangedBy, row.ChangedAt, row.Action, JsonDocument.Parse(row.Changes).RootElement.Clone()))];
    }

    /// <summary>
    /// UPDATE, then INSERT when no row was updated: portable to both databases, unlike their upsert
    /// syntaxes. The previous values are read first so that the audit says what changed.
    /// </summary>
    private static async Task<SaveOutcome> SaveAsync(College college, string changedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = UnitOfWork.Current;
        var connection = transaction.Connection!;
        var before = (await connection.QuerySingleOrDefaultAsync<CollegeRow>(
            new CommandDefinition(FindSql, new { college.Uai }, transaction, cancellationToken: cancellationToken)))?.ToRegistered().College;
        if (before == college)
        {
            return SaveOutcome.Unchanged;
        }

        var row = CollegeRow.From(college, now);
        var updated = await connection.ExecuteAsync(new CommandDefinition(UpdateSql, row, transaction, cancellationToken: cancellationToken));
        if (updated == 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(InsertSql, row, transaction, cancellationToken: cancellationToken));
        }

        var outcome = updated == 0 ? SaveOutcome.Created : SaveOutcome.Updated;
        var audit = new
        {
            college.Uai,
            ChangedBy = changedBy,
            ChangedAt = now,
            Action = outcome == SaveOutcome.Created ? "created" : "updated",
            Changes = JsonSerializer.Serialize(Diff(before, college), JsonSerializerOptions.Web),
        };
        await connection.ExecuteAsync(new CommandDefinition(InsertAuditSql, audit, transaction, cancellationToken: cancellationToken));
        return outcome;
    }

    /// <summary><c>{"ut": {"from": "UT1", "to": "UT2"}}</c>; every field, from null, for a creation.</summary>
    private static Dictionary<string, FieldChange> Diff(College? before, College after)
    {
        var changes = new Dictionary<string, FieldChange>(StringComparer.Ordinal);
        void Compare<T>(string field, T? from, T? to)
        {
            if (before is null || !EqualityComparer<T>.Default.Equals(from, to))
            {
                changes[field] = new FieldChange(before is null ? null : from, to);
            }
        }

        Compare("name", before?.Name, after.Name);
        Compare("commune", before?.Commune, after.Commune);
        Compare("ut", before?.Ut, after.Ut);
        Compare<bool?>("citeMixte", before?.CiteMixte, after.CiteMixte);
        Compare("zaRepriseDate", before?.ZaRepriseDate, after.ZaRepriseDate);
        Compare("builtYear", before?.BuiltYear, after.BuiltYear);
        return changes;
    }

    private sealed record FieldChange(object? From, object? To);

    private sealed class AuditRow
    {
        public string ChangedBy { get; set; } = "";
        public DateTimeOffset ChangedAt { get; set; }
        public string Action { get; set; } = "";
        public string Changes { get; set; } = "{}";
    }

    /// <summary>Database shape: booleans are integers in SQLite, the reprise date is 'yyyy-MM-dd' text.</summary>
    private sealed class CollegeRow
    {
        public string Uai { get; set; } = "";
        public string Name { get; set; } = "";
        public string Commune { get; set; } = "";
        public string Ut { get; set; } = "";
        public bool CiteMixte { get; set; }
        public string? ZaRepriseDate { get; set; }
        public int? BuiltYear { get; set; }
        public DateTimeOffset UpdatedAt { get; set; }

        public static CollegeRow From(College college, DateTimeOffset updatedAt) => new()
        {
            Uai = college.Uai,
            Name = college.Name,
            Commune = college.Commune,
            Ut = college.Ut,
            CiteMixte = college.CiteMixte,
            ZaRepriseDate = college.ZaRepriseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            BuiltYear = college.BuiltYear,
            UpdatedAt = updatedAt,
        };

        public RegisteredCollege ToRegistered() => new(
            new College(
                Uai,
                Name,
                Commune,
                Ut,
                CiteMixte,
                ZaRepriseDate is null ? null : DateOnly.ParseExact(ZaRepriseDate, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                BuiltYear),
            UpdatedAt);
    }
}

/// <summary>A collège and when its registry entry last changed.</summary>
public sealed record RegisteredCollege(College College, DateTimeOffset UpdatedAt);

public enum SaveOutcome
{
    Unchanged,
    Created,
    Updated,
}

/// <summary><paramref name="Imported"/> rows read; unchanged ones are neither created nor updated.</summary>
public sealed record ImportSummary(int Imported, int Created, int Updated);

/// <summary>One change of a collège: who (the signed-in user, « Nom (rôle) », or <c>seed</c> for the seed file), when, what.</summary>
/// <param name="Action"><c>created</c> or <c>updated</c>.</param>
/// <param name="Changes">Changed fields: <c>{"ut": {"from": "UT1", "to": "UT2"}}</c>.</param>
public sealed record CollegeAuditEntry(string ChangedBy, DateTimeOffset ChangedAt, string Action, JsonElement Changes);
