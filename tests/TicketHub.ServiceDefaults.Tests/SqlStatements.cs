using System.Reflection;
using System.Runtime.Loader;

namespace TicketHub.ServiceDefaults.Tests;

/// <summary>
/// Finds the SQL of every service where it lives: constants beside the methods that run them (read
/// by reflection from each service's build output) and migration scripts (read from disk).
/// </summary>
internal static class SqlStatements
{
    /// <summary>Services with a database: the folder of their project.</summary>
    public static readonly string[] ServiceProjects =
    [
        "services/TicketHub.ServiceDefaults",
        "services/Intake/TicketHub.Intake",
        "services/Classifier/TicketHub.Classifier",
        "services/Connectors/TicketHub.Connectors.Glpi",
        "services/Connectors/TicketHub.Connectors.Itop",
        "services/Connectors/TicketHub.Connectors.Shared",
        "gateway/TicketHub.Gateway",
    ];

    /// <summary>
    /// SQL a service runs from a library it references, against its own database: the connectors'
    /// common ledgers (in TicketHub.Connectors.Shared: tickets, documents) run on GLPI's and iTop's tables too.
    /// </summary>
    private static readonly Dictionary<string, (string Library, string[] Types)> Borrowed = new()
    {
        ["services/Connectors/TicketHub.Connectors.Glpi"] = ("services/Connectors/TicketHub.Connectors.Shared", ["DeliveryLedger", "DocumentLedger"]),
        ["services/Connectors/TicketHub.Connectors.Itop"] = ("services/Connectors/TicketHub.Connectors.Shared", ["DeliveryLedger", "DocumentLedger"]),
    };

    public static string Root { get; } = TicketHub.Testing.Repository.Root;

    private static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public sealed record Statement(string Project, string Name, string Sql)
    {
        public override string ToString() => $"{Project}: {Name}";
    }

    /// <summary>
    /// Constants named <c>…Sql</c> (shared) or <c>…SqliteSql</c>/<c>…SqlServerSql</c> (one dialect)
    /// of <paramref name="project"/>, and those it borrows from a library (<see cref="Borrowed"/>).
    /// </summary>
    public static IReadOnlyList<Statement> Constants(string project)
    {
        var own = ConstantsOf(project);
        if (!Borrowed.TryGetValue(project, out var borrowed))
        {
            return own;
        }

        var used = ConstantsOf(borrowed.Library)
            .Where(s => borrowed.Types.Any(type => s.Name.StartsWith(type + ".", StringComparison.Ordinal)))
            .Select(s => s with { Project = Path.GetFileName(project), Name = $"{Path.GetFileName(borrowed.Library)}/{s.Name}" })
            .ToList();
        if (used.Count == 0)
        {
            throw new InvalidOperationException($"{project} borrows SQL from {string.Join(", ", borrowed.Types)}, which holds none: fix SqlStatements.Borrowed.");
        }

        return [.. own, .. used];
    }

    private static List<Statement> ConstantsOf(string project)
    {
        var name = Path.GetFileName(project);
        var dll = Path.Combine(Root, project, "bin", Configuration, "net10.0", name + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the solution first: {dll} is missing.");
        }

        var context = new AssemblyLoadContext($"sql-{name}", isCollectible: true);
        var folder = Path.GetDirectoryName(dll)!;
        context.Resolving += (ctx, assemblyName) =>
        {
            var candidate = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? ctx.LoadFromAssemblyPath(candidate) : null;
        };
        try
        {
            var assembly = context.LoadFromAssemblyPath(dll);
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types.Where(t => t is not null).ToArray()!;
            }

            return types
                .SelectMany(t => t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Sql", StringComparison.Ordinal))
                .Select(f => new Statement(name, $"{f.DeclaringType!.Name}.{f.Name}", (string)f.GetRawConstantValue()!))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToList();
        }
        finally
        {
            context.Unload();
        }
    }

    public static IEnumerable<string> Migrations(string project, string dialect)
    {
        var folder = Path.Combine(Root, project, "Migrations", dialect);
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal)
            : [];
    }

    public static bool IsSqliteOnly(Statement s) => s.Name.EndsWith("SqliteSql", StringComparison.Ordinal);

    public static bool IsSqlServerOnly(Statement s) => s.Name.EndsWith("SqlServerSql", StringComparison.Ordinal);

    public static bool IsPostgreSqlOnly(Statement s) => s.Name.EndsWith("PostgreSqlSql", StringComparison.Ordinal);

    /// <summary>
    /// What PostgreSQL runs of <paramref name="statements"/>: the shared ones, its own, and the
    /// <c>LIMIT</c> forms (<c>…SqliteSql</c>) that have no PostgreSQL variant.
    /// </summary>
    public static IEnumerable<Statement> ForPostgreSql(IReadOnlyList<Statement> statements) => statements.Where(s =>
        !IsSqlServerOnly(s)
        && !(IsSqliteOnly(s) && statements.Any(p => p.Name == s.Name[..^"SqliteSql".Length] + "PostgreSqlSql")));
}
