using System.Globalization;
using System.Text.RegularExpressions;

namespace TicketHub.Sandbox.Glpi;

/// <summary>A page request, <c>range=start-end</c> (inclusive, GLPI's default 0-49).</summary>
internal readonly record struct GlpiRange(int Start, int End)
{
    public static bool TryParse(string? text, out GlpiRange range)
    {
        range = new GlpiRange(0, 49);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var parts = text.Split('-');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            && end >= start)
        {
            range = new GlpiRange(start, end);
            return true;
        }

        return false;
    }

    public int Count => End - Start + 1;
}

/// <summary>One criterion of <c>search/Ticket</c>: <c>criteria[i][link|field|searchtype|value]</c>.</summary>
internal sealed record GlpiCriterion(int Index, string Link, string Field, string SearchType, string Value);

/// <summary>
/// The search engine of <c>search/Ticket</c>, for the search options a client of the hub needs
/// (GLPI numbers them: 1 name, 2 id, 12 status, 19 date_mod...).
/// </summary>
internal static partial class GlpiSearch
{
    /// <summary>Search option id → column of the ticket view and how to compare it (GLPI 11's, with externalid).</summary>
    public static readonly IReadOnlyDictionary<int, (string Column, Kind Kind)> Options = new Dictionary<int, (string, Kind)>
    {
        [1] = ("name", Kind.Text),
        [2] = ("id", Kind.Number),
        [3] = ("priority", Kind.Number),
        [7] = ("itilcategories_id", Kind.Number),
        [10] = ("urgency", Kind.Number),
        [12] = ("status", Kind.Status),
        [14] = ("type", Kind.Number),
        [15] = ("date", Kind.Date),
        [19] = ("date_mod", Kind.Date),
        [21] = ("content", Kind.Text),
        [27] = (FollowupCount, Kind.Number),
        [80] = ("entities_id", Kind.Number),
        [87] = ("externalid", Kind.Text),
    };

    /// <summary>Ticket's search option of <c>externalid</c>, in the sandbox's GLPI 11 only (GLPI 10 has no such column).</summary>
    public const int ExternalIdOption = 87;

    /// <summary>Search option id → column and kind of User: 1 login, 2 id, 5 e-mails, 8 active.</summary>
    public static readonly IReadOnlyDictionary<int, (string Column, Kind Kind)> UserOptions = new Dictionary<int, (string, Kind)>
    {
        [1] = ("name", Kind.Text),
        [2] = ("id", Kind.Number),
        [5] = ("email", Kind.Text),
        [8] = ("is_active", Kind.Number),
    };

    /// <summary>The ticket search options of the version played: GLPI 10 has no <see cref="ExternalIdOption"/>.</summary>
    public static IReadOnlyDictionary<int, (string Column, Kind Kind)> TicketOptions(GlpiSandboxOptions options) =>
        options.HasExternalId ? Options : Options.Where(option => option.Key != ExternalIdOption).ToDictionary();

    /// <summary>
    /// <c>listSearchOptions/Ticket</c>: GLPI's description of each option (table, field, name), the
    /// way a client learns whether tickets have <c>externalid</c>.
    /// </summary>
    public static Dictionary<string, object> Describe(IReadOnlyDictionary<int, (string Column, Kind Kind)> options)
    {
        var described = new Dictionary<string, object> { ["common"] = new Dictionary<string, string> { ["name"] = "Caractéristiques" } };
        foreach (var (id, (column, kind)) in options.OrderBy(option => option.Key))
        {
            described[id.ToString(CultureInfo.InvariantCulture)] = new Dictionary<string, string>
            {
                ["table"] = column == FollowupCount ? "glpi_itilfollowups" : "glpi_tickets",
                ["field"] = column == FollowupCount ? "id" : column,
                ["name"] = column,
                ["datatype"] = kind switch { Kind.Number => "number", Kind.Date => "datetime", Kind.Status => "specific", _ => "string" },
            };
        }

        return described;
    }

    /// <summary>Column of search option 27, "Number of followups" (ITILFollowup's count), not a field of the ticket.</summary>
    private const string FollowupCount = "followups_count";

    /// <summary>Columns always shown, as with GLPI's default display preferences for tickets.</summary>
    public static readonly int[] DefaultColumns = [1, 2, 12, 19, 15, 3, 7, 80];

    public enum Kind
    {
        Text,
        Number,
        Date,
        Status,
    }

    /// <summary>A ticket as the search engine sees it: its fields and the counts GLPI joins in.</summary>
    public static Dictionary<string, object?> View(GlpiTicketRecord ticket, GlpiStore store, GlpiDates dates, GlpiSandboxOptions options)
    {
        // The search engine reads the columns as the version stores them (GLPI 10: encoded).
        var view = GlpiResults.AsApi(GlpiResults.Ticket(ticket, dates), options);
        view[FollowupCount] = store.Followups(ticket.Id).Count;
        return view;
    }

    public static IReadOnlyList<GlpiCriterion> ReadCriteria(IQueryCollection query)
    {
        var parts = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (key, value) in query)
        {
            var match = CriterionKey().Match(key);
            if (match.Success)
            {
                var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                if (!parts.TryGetValue(index, out var fields))
                {
                    parts[index] = fields = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                fields[match.Groups[2].Value] = value.ToString();
            }
        }

        return [.. parts.Select(part => new GlpiCriterion(
            part.Key,
            part.Value.GetValueOrDefault("link", "AND"),
            part.Value.GetValueOrDefault("field", ""),
            part.Value.GetValueOrDefault("searchtype", ""),
            part.Value.GetValueOrDefault("value") ?? ""))];
    }

    public static IReadOnlyList<int> ReadForcedDisplay(IQueryCollection query)
    {
        var columns = new List<int>();
        foreach (var (key, value) in query)
        {
            if (key == "forcedisplay" || ForcedDisplayKey().IsMatch(key))
            {
                columns.AddRange(value.Select(text => int.TryParse(text, CultureInfo.InvariantCulture, out var id) ? id : -1));
            }
        }

        return columns;
    }

    /// <summary>Why the criteria cannot run (GLPI's own wording), or null.</summary>
    public static string? Check(IReadOnlyList<GlpiCriterion> criteria, IReadOnlyDictionary<int, (string Column, Kind Kind)> options)
    {
        foreach (var criterion in criteria)
        {
            if (criterion.Field.Length == 0 || criterion.SearchType.Length == 0)
            {
                return "Malformed search criteria";
            }

            if (!int.TryParse(criterion.Field, NumberStyles.None, CultureInfo.InvariantCulture, out var field) || !options.ContainsKey(field))
            {
                return "Bad field ID in search criteria";
            }

            if (criterion.SearchType is not ("contains" or "equals" or "notequals" or "lessthan" or "morethan" or "under" or "notunder"))
            {
                return "Malformed search criteria";
            }
        }

        return null;
    }

    /// <summary>Evaluates the criteria left to right with their links (AND, OR, AND NOT, OR NOT).</summary>
    public static bool Matches(
        IReadOnlyDictionary<string, object?> ticket, IReadOnlyList<GlpiCriterion> criteria, GlpiDates dates,
        IReadOnlyDictionary<int, (string Column, Kind Kind)> options)
    {
        var result = true;
        var first = true;
        foreach (var criterion in criteria)
        {
            var option = options[int.Parse(criterion.Field, CultureInfo.InvariantCulture)];
            if (option.Kind == Kind.Date && criterion.SearchType is "morethan" or "lessthan" && !dates.TryParseDate(criterion.Value, out _))
            {
                // GLPI drops a date criterion it cannot parse: the search returns every row.
                continue;
            }

            var value = Matches(ticket.GetValueOrDefault(option.Column), option.Kind, criterion.SearchType, criterion.Value, dates);
            var link = criterion.Link.Trim().ToUpperInvariant();
            if (link.EndsWith("NOT", StringComparison.Ordinal))
            {
                value = !value;
            }

            result = first ? value : link.StartsWith("OR", StringComparison.Ordinal) ? result || value : result && value;
            first = false;
        }

        return result;
    }

    private static bool Matches(object? actual, Kind kind, string searchType, string expected, GlpiDates dates)
    {
        var text = Convert.ToString(actual, CultureInfo.InvariantCulture) ?? "";
        return searchType switch
        {
            "contains" => text.Contains(expected.Trim(), StringComparison.OrdinalIgnoreCase),
            "equals" or "under" => IsEqual(text, kind, expected),
            "notequals" or "notunder" => !IsEqual(text, kind, expected),
            "lessthan" => Compare(text, kind, expected, dates) is < 0,
            "morethan" => Compare(text, kind, expected, dates) is > 0,
            _ => false,
        };
    }

    private static bool IsEqual(string actual, Kind kind, string expected) => kind switch
    {
        Kind.Status => expected switch
        {
            "all" => true,
            "notold" => actual is "1" or "2" or "3" or "4",
            "notclosed" => actual != "6",
            "old" => actual is "5" or "6",
            "process" => actual is "2" or "3",
            _ => actual == expected.Trim(),
        },
        Kind.Text => string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase),
        _ => actual == expected.Trim(),
    };

    /// <summary>Sign of actual − expected, or null when they cannot be compared.</summary>
    private static int? Compare(string actual, Kind kind, string expected, GlpiDates dates) => kind switch
    {
        Kind.Date => dates.TryParseDate(actual, out var a) && dates.TryParseDate(expected, out var e) ? a.CompareTo(e) : null,
        Kind.Number or Kind.Status => long.TryParse(actual, CultureInfo.InvariantCulture, out var a) && long.TryParse(expected, CultureInfo.InvariantCulture, out var e)
            ? a.CompareTo(e)
            : null,
        _ => string.CompareOrdinal(actual, expected),
    };

    /// <summary>Orders ticket views by a column: numbers as numbers, the rest as text.</summary>
    public static int CompareColumn(IReadOnlyDictionary<string, object?> left, IReadOnlyDictionary<string, object?> right, string column) =>
        (left[column], right[column]) switch
        {
            (int a, int b) => a.CompareTo(b),
            (var a, var b) => string.CompareOrdinal(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture)),
        };

    [GeneratedRegex(@"^criteria\[(\d+)\]\[(link|field|searchtype|value)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex CriterionKey();

    [GeneratedRegex(@"^forcedisplay\[\d+\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ForcedDisplayKey();
}
