using System.Text;

namespace TicketHub.Classifier.Registry;

/// <summary>
/// Reads the registry's CSV (<c>uai,name,commune,ut,citeMixte,zaRepriseDate,builtYear</c>, UTF-8,
/// comma-separated, RFC 4180 quoting). Every row is validated; errors name the line of the file so
/// that whoever edits it in a spreadsheet can find them. A file with any error yields no collège.
/// </summary>
public static class CollegeCsv
{
    public static readonly IReadOnlyList<string> Columns = ["uai", "name", "commune", "ut", "citeMixte", "zaRepriseDate", "builtYear"];

    public static CsvParseResult Parse(string text, int currentYear)
    {
        var errors = new List<CsvLineError>();
        using var records = ReadRecords(text).GetEnumerator();
        if (!records.MoveNext())
        {
            return CsvParseResult.Failed(new CsvLineError(1, $"Le fichier est vide : la première ligne doit être l'en-tête « {string.Join(',', Columns)} »."));
        }

        var header = records.Current;
        if (ReadHeader(header, errors) is not { } positions)
        {
            return new CsvParseResult([], errors);
        }

        var colleges = new List<College>();
        var firstLineOfUai = new Dictionary<string, int>(StringComparer.Ordinal);
        while (records.MoveNext())
        {
            var record = records.Current;
            if (record.Error is not null)
            {
                errors.Add(new CsvLineError(record.Line, record.Error));
                continue;
            }

            if (record.Fields.Count != Columns.Count)
            {
                errors.Add(new CsvLineError(record.Line,
                    $"{record.Fields.Count} colonne(s) au lieu de {Columns.Count} : une virgule dans un nom doit être entourée de guillemets (\"Collège Jean Moulin, annexe\")."));
                continue;
            }

            string Field(string column) => record.Fields[positions[column]];
            var fields = new CollegeFields(Field("uai"), Field("name"), Field("commune"), Field("ut"), Field("citeMixte"), Field("zaRepriseDate"), Field("builtYear"));
            var (college, fieldErrors) = CollegeValidator.Validate(fields, currentYear);
            foreach (var (field, messages) in fieldErrors)
            {
                errors.AddRange(messages.Select(message => new CsvLineError(record.Line, $"{field} : {message}")));
            }

            if (college is null)
            {
                continue;
            }

            if (firstLineOfUai.TryGetValue(college.Uai, out var firstLine))
            {
                errors.Add(new CsvLineError(record.Line, $"uai : le collège {college.Uai} figure déjà ligne {firstLine}."));
                continue;
            }

            firstLineOfUai[college.Uai] = record.Line;
            colleges.Add(college);
        }

        if (errors.Count == 0 && colleges.Count == 0)
        {
            errors.Add(new CsvLineError(header.Line + 1, "Le fichier ne contient aucun collège après l'en-tête."));
        }

        return errors.Count == 0 ? new CsvParseResult(colleges, []) : new CsvParseResult([], errors);
    }

    /// <summary>Column positions by name; columns may come in any order, names ignore case.</summary>
    private static Dictionary<string, int>? ReadHeader(CsvRecord header, List<CsvLineError> errors)
    {
        if (header.Error is not null)
        {
            errors.Add(new CsvLineError(header.Line, header.Error));
            return null;
        }

        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var unknown = new List<string>();
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            var column = Columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
            if (column is null || positions.ContainsKey(column))
            {
                unknown.Add(name);
            }
            else
            {
                positions[column] = i;
            }
        }

        var missing = Columns.Where(c => !positions.ContainsKey(c)).ToList();
        if (missing.Count == 0 && unknown.Count == 0)
        {
            return positions;
        }

        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"colonne(s) manquante(s) : {string.Join(", ", missing)}");
        }

        if (unknown.Count > 0)
        {
            problems.Add($"colonne(s) inconnue(s) ou en double : {string.Join(", ", unknown)}");
        }

        errors.Add(new CsvLineError(header.Line,
            $"En-tête invalide ({string.Join(" ; ", problems)}). Attendu : « {string.Join(',', Columns)} »."));
        return null;
    }

    /// <summary>
    /// Splits the text into records. Quoted fields may hold commas, doubled quotes and line breaks;
    /// a record's line is the line it starts on. Blank lines are skipped.
    /// </summary>
    private static IEnumerable<CsvRecord> ReadRecords(string text)
    {
        var position = text.StartsWith('\uFEFF') ? 1 : 0;
        var line = 1;
        while (position < text.Length)
        {
            var recordLine = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            string? error = null;
            var inQuotes = false;
            var fieldWasQuoted = false;
            var endOfRecord = false;

            while (position < text.Length && !endOfRecord)
            {
                var c = text[position++];
                if (inQuotes)
                {
                    if (c != '"')
                    {
                        line += c == '\n' ? 1 : 0;
                        field.Append(c);
                    }
                    else if (position < text.Length && text[position] == '"')
                    {
                        field.Append('"');
                        position++;
                    }
                    else
                    {
                        inQuotes = false;
                    }

                    continue;
                }

                switch (c)
                {
                    case '"' when field.Length == 0 && !fieldWasQuoted:
                        inQuotes = true;
                        fieldWasQuoted = true;
                        break;
                    case '"':
                        error ??= "Guillemet mal placé : un champ qui contient des guillemets doit être entièrement entre guillemets, et ses guillemets doublés (\"\").";
                        break;
                    case ',':
                        fields.Add(field.ToString());
                        field.Clear();
                        fieldWasQuoted = false;
                        break;
                    case '\r' or '\n':
                        if (c == '\r' && position < text.Length && text[position] == '\n')
                        {
                            position++;
                        }

                        line++;
                        endOfRecord = true;
                        break;
                    default:
                        if (fieldWasQuoted)
                        {
                            error ??= "Texte après un guillemet fermant : un champ entre guillemets doit se terminer par le guillemet.";
                        }

                        field.Append(c);
                        break;
                }
            }

            if (inQuotes)
            {
                error ??= "Guillemet ouvert jamais refermé : la fin du fichier a été atteinte dans ce champ.";
            }

            fields.Add(field.ToString());
            if (fields is [""] && !fieldWasQuoted)
            {
                continue;
            }

            yield return new CsvRecord(recordLine, fields, error);
        }
    }

    private sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error);
}

/// <summary>An error in the CSV file, by line number (1 = the header).</summary>
public sealed record CsvLineError(int Line, string Message);

/// <summary>Either every collège of the file, or the errors (never both).</summary>
public sealed record CsvParseResult(IReadOnlyList<College> Colleges, IReadOnlyList<CsvLineError> Errors)
{
    public bool IsValid => Errors.Count == 0;

    public static CsvParseResult Failed(CsvLineError error) => new([], [error]);

    /// <summary>Errors keyed <c>ligne N</c>, as a ProblemDetails <c>errors</c> member.</summary>
    public Dictionary<string, string[]> ErrorsByLine() =>
        Errors.GroupBy(e => e.Line)
            .OrderBy(g => g.Key)
            .ToDictionary(g => $"ligne {g.Key}", g => g.Select(e => e.Message).ToArray());
}
