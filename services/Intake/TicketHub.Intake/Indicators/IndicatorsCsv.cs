using System.Globalization;
using System.Text;

namespace TicketHub.Intake.Indicators;

/// <summary>
/// The indicators as a spreadsheet opens them in France: one figure per line, « indicateur;détail;valeur »,
/// separated by semicolons, decimals with a comma, UTF-8 with its byte order mark (so that accents
/// survive a double click in Excel). Delays are in hours.
/// </summary>
public static class IndicatorsCsv
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static string Write(IndicatorsView view)
    {
        var csv = new StringBuilder("\uFEFFindicateur;détail;valeur\r\n");
        void Line(string indicator, string detail, object? value) =>
            csv.Append(Cell(indicator)).Append(';').Append(Cell(detail)).Append(';').Append(value switch
            {
                null => "",
                double d => d.ToString(French),
                IFormattable f => f.ToString(null, French),
                _ => Cell(value.ToString() ?? ""),
            }).Append("\r\n");

        Line("période", "du", view.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Line("période", "au (exclu)", view.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Line("demandes reçues", "", view.Volumes.Received);
        foreach (var (key, count) in view.Volumes.ByTarget)
        {
            Line("demandes reçues par équipe", key, count);
        }

        foreach (var (key, count) in view.Volumes.ByRule)
        {
            Line("demandes reçues par règle", key, count);
        }

        Line("envoyées au triage", "nombre", view.Triage.Sent.Count);
        Line("envoyées au triage", "part", view.Triage.Sent.Rate);
        Line("envoyées au triage", "encore au triage", view.Triage.StillThere);
        Line("temps passé au triage (heures)", "médiane", view.Triage.Time.MedianHours);
        Line("temps passé au triage (heures)", "90e centile", view.Triage.Time.P90Hours);
        Line("réorientées", "nombre", view.Reroutes.Rerouted.Count);
        Line("réorientées", "part des orientées", view.Reroutes.Rerouted.Rate);
        foreach (var rule in view.Reroutes.ByRule)
        {
            Line("réorientées par règle", $"{rule.Rule} ({rule.Rerouted} sur {rule.Routed})", rule.Rate);
        }

        foreach (var delay in view.Delays)
        {
            Line($"délai jusqu'à : {delay.Label} (heures calendaires)", "médiane", delay.Calendar.MedianHours);
            Line($"délai jusqu'à : {delay.Label} (heures calendaires)", "90e centile", delay.Calendar.P90Hours);
            Line($"délai jusqu'à : {delay.Label} (heures ouvrées)", "médiane", delay.Working.MedianHours);
            Line($"délai jusqu'à : {delay.Label} (heures ouvrées)", "90e centile", delay.Working.P90Hours);
            Line($"délai jusqu'à : {delay.Label}", "demandes mesurées", delay.Calendar.Count);
        }

        Line("rouvertes", "nombre", view.Reopened.Count);
        Line("rouvertes", "part des résolues", view.Reopened.Rate);
        Line("en cours aujourd'hui", "", view.Backlog.Open);
        foreach (var (band, count) in view.Backlog.ByAge)
        {
            Line("en cours aujourd'hui par âge", band, count);
        }

        Line("en attente du collège", "", view.Backlog.WaitingForCollege);
        Line("en échec aujourd'hui", "", view.Backlog.Failed);
        Line("pièces jointes refusées par l'outil", "", view.Failures.AttachmentsRefused);
        Line("demandes passées en échec", "", view.Failures.Failed);
        if (view.Failures.DeadLetters is { } deadLetters)
        {
            Line("messages en lettre morte", "tous services", deadLetters);
        }

        if (view.Visits is { } visits)
        {
            Line("visites de l'infogérant", "nombre", visits.Count);
            Line("visites de l'infogérant", "collèges visités", visits.Colleges);
            foreach (var (college, count) in visits.ByCollege)
            {
                Line("visites par collège", college, count);
            }
        }

        return csv.ToString();
    }

    /// <summary>A cell as RFC 4180 quotes it, and never read as a formula (a leading =, +, - or @ gets an apostrophe).</summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
