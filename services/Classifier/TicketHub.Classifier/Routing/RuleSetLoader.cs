using System.Globalization;
using System.Text.Json;
using TicketHub.Classifier.Registry;
using TicketHub.Contracts;

namespace TicketHub.Classifier.Routing;

/// <summary>A problem found in a rule-set file: its line and, in French, what is wrong.</summary>
public sealed record RuleSetError(int Line, string Message);

/// <summary>A rule-set file that cannot be used; the message lists every error as <c>file ligne N : reason</c>.</summary>
public sealed class RuleSetException(string fileName, IReadOnlyList<RuleSetError> errors)
    : InvalidOperationException(string.Join(Environment.NewLine, errors.Select(error => $"{fileName} ligne {error.Line} : {error.Message}")))
{
    public string FileName => fileName;

    public IReadOnlyList<RuleSetError> Errors => errors;
}

/// <summary>
/// Reads a département's rule-set file (format: <c>deploy/rulesets/README.md</c>) and checks it
/// before any ticket depends on it: every value it rejects is reported with its line, and the rules
/// are tried on one ticket of every kind, so that every ticket gets a route, every rule can fire and
/// every explanation can be written out.
/// </summary>
public static class RuleSetLoader
{
    public static RuleSet Load(string path, string? infogerantToolOverride = null) =>
        Parse(File.ReadAllText(path), Path.GetFileName(path), infogerantToolOverride);

    /// <param name="fileName">Named in the error messages.</param>
    /// <param name="infogerantToolOverride"><c>Routing:InfogerantTool</c>: replaces the file's <c>infogerantTool</c> when set.</param>
    public static RuleSet Parse(string text, string fileName, string? infogerantToolOverride = null)
    {
        LinedJson root;
        try
        {
            root = LinedJson.Parse(text);
        }
        catch (JsonException error)
        {
            var reason = error.Message.Split(" LineNumber:")[0].TrimEnd(' ', '|', '.');
            throw new RuleSetException(fileName, [new RuleSetError((int)(error.LineNumber ?? 0) + 1, $"JSON invalide : {reason}.")]);
        }

        var errors = new List<RuleSetError>();
        var ruleSet = new Reader(errors, infogerantToolOverride).Read(root);
        if (ruleSet is not null && errors.Count == 0)
        {
            Coverage.Check(ruleSet.Value.RuleSet, ruleSet.Value.RulesLine, errors);
        }

        if (errors.Count > 0)
        {
            throw new RuleSetException(fileName, [.. errors.OrderBy(error => error.Line)]);
        }

        return ruleSet!.Value.RuleSet;
    }

    private static readonly string[] Targets =
        [RouteTargets.Infogerant, RouteTargets.Pass, RouteTargets.Omere, RouteTargets.Region, RouteTargets.EntAssistance, RouteTargets.Triage];

    private static readonly string[] KnownFlags = [RouteFlags.DatAmiante];

    internal static string ToolName(string tool) => tool switch
    {
        ExternalTools.Glpi => "GLPI",
        ExternalTools.Itop => "iTop",
        ExternalTools.Pass => "PASS",
        ExternalTools.Omere => "Omère",
        _ => tool,
    };

    internal static string Name(Placeholder placeholder) => "{" + placeholder switch
    {
        Placeholder.Uai => "uai",
        Placeholder.College => "college",
        Placeholder.Commune => "commune",
        Placeholder.Ut => "ut",
        Placeholder.RepriseDate => "repriseDate",
        _ => placeholder.ToString(),
    } + "}";

    private static string Quote(string value) => $"« {value} »";

    private static string List(IEnumerable<string> values) => string.Join(", ", values);

    /// <summary>Turns the JSON tree into a <see cref="RuleSet"/>, adding an error for every value it cannot use.</summary>
    private sealed class Reader(List<RuleSetError> errors, string? infogerantToolOverride)
    {
        private const string PlaceholderList = "{uai}, {college}, {commune}, {ut}, {repriseDate}, {tool}, {builtBefore}, {contact:nom}";

        private readonly Dictionary<string, string> _contacts = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _categoryIndex = new(StringComparer.Ordinal);

        public (RuleSet RuleSet, int RulesLine)? Read(LinedJson root)
        {
            var file = Fields.Of(root, "du jeu de règles", errors,
                "departement", "version", "timeZone", "infogerantTool", "contacts", "categories", "rules", "flags", "suggestions");
            var departement = Fields.Of(file.Required("departement", "le département : { \"code\": \"93\", \"name\": \"Seine-Saint-Denis\" }"), "de « departement »", errors, "code", "name");
            var code = departement.Text("code", "le numéro du département (ex. « 93 »)");
            var name = departement.Text("name", "le nom du département");
            var version = file.Text("version", "la version du jeu de règles, enregistrée sur chaque décision (ex. « 93-2025.1 »)");
            var timeZone = ReadTimeZone(file);
            var infogerantTool = ReadInfogerantTool(file);
            ReadContacts(file.Optional("contacts"));
            var categories = ReadCategories(file.Required("categories", "la liste des catégories"));
            var rules = ReadRules(file.Required("rules", "la liste ordonnée des règles"), infogerantTool);
            var flags = ReadFlags(file.Optional("flags"));
            var zoneThreshold = ReadSuggestions(file.Optional("suggestions"));
            if (code is null || name is null || version is null || timeZone is null || infogerantTool is null || errors.Count > 0)
            {
                return null;
            }

            return (new RuleSet(code, name, version, timeZone, infogerantTool, categories, rules, flags, _contacts, zoneThreshold), file.Line("rules"));
        }

        /// <summary><c>"suggestions": { "zoneThreshold": 80 }</c>: the percentage of confidence from which a suggested zone routes.</summary>
        private double? ReadSuggestions(LinedJson? node)
        {
            if (node is null)
            {
                return null;
            }

            var fields = Fields.Of(node, "de « suggestions »", errors, "zoneThreshold");
            var percent = fields.Integer("zoneThreshold");
            if (percent is null)
            {
                return null;
            }

            if (percent is < 50 or > 100)
            {
                Error(fields.Line("zoneThreshold"), $"« zoneThreshold » est un pourcentage de confiance entre 50 et 100, pas {percent}.");
                return null;
            }

            return percent.Value / 100.0;
        }

        private TimeZoneInfo? ReadTimeZone(Fields file)
        {
            var id = file.Text("timeZone", "le fuseau horaire du département, dans lequel le jour d'un ticket est comparé aux dates de reprise (ex. « Europe/Paris »)");
            if (id is null)
            {
                return null;
            }

            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return zone;
            }

            Error(file.Line("timeZone"), $"fuseau horaire inconnu {Quote(id)} (ex. « Europe/Paris », « America/Marigot »).");
            return null;
        }

        private string? ReadInfogerantTool(Fields file)
        {
            var tool = file.Text("infogerantTool", "l'outil de l'infogérant, « glpi » ou « itop »");
            if (tool is not null and not ExternalTools.Glpi and not ExternalTools.Itop)
            {
                Error(file.Line("infogerantTool"), $"outil de l'infogérant inconnu {Quote(tool)} : « glpi » ou « itop ».");
                return null;
            }

            return string.IsNullOrEmpty(infogerantToolOverride) ? tool : infogerantToolOverride;
        }

        private void ReadContacts(LinedJson? node)
        {
            if (node is null)
            {
                return;
            }

            if (node is not LinedObject contacts)
            {
                Error(node.Line, $"« contacts » doit être un objet {{ \"nom\": \"lien ou numéro\" }}, pas {node.Kind}.");
                return;
            }

            foreach (var contact in contacts.Properties)
            {
                if (contact.Name.Length == 0 || !contact.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
                {
                    Error(contact.Line, $"nom de contact invalide {Quote(contact.Name)} : lettres, chiffres et tirets (il est cité par {{contact:nom}}).");
                }
                else if (!_contacts.TryAdd(contact.Name, ""))
                {
                    Error(contact.Line, $"contact {Quote(contact.Name)} déjà décrit.");
                }

                if (contact.Value is LinedString { Value: var value } && !string.IsNullOrWhiteSpace(value))
                {
                    _contacts[contact.Name] = value.Trim();
                }
                else
                {
                    Error(contact.Value.Line, $"le contact {Quote(contact.Name)} doit être un texte non vide (lien, numéro de téléphone).");
                }
            }
        }

        private List<Category> ReadCategories(LinedJson? node)
        {
            var categories = new List<Category>();
            if (Items(node, "categories") is not { } items)
            {
                return categories;
            }

            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var fields = Fields.Of(item, "d'une catégorie", errors, "code", "label", "zoneHint", "building");
                var code = fields.Text("code", "le code de la catégorie (API v1)");
                var label = fields.Text("label", "le libellé que lit le collège, en français");
                var zoneHint = fields.NullableText("zoneHint");
                var building = fields.Boolean("building") ?? false;
                if (zoneHint is not null and not Zones.Pedagogique and not Zones.Administrative)
                {
                    Error(fields.Line("zoneHint"), $"zone {Quote(zoneHint)} invalide : « ZP », « ZA » ou null (la catégorie existe dans les deux zones).");
                }

                if (code is null)
                {
                    continue;
                }

                if (!CategoryCodes.All.Contains(code))
                {
                    Error(fields.Line("code"), $"catégorie inconnue {Quote(code)} : les codes sont ceux de l'API v1 ({List(CategoryCodes.All.Order(StringComparer.Ordinal))}).");
                }
                else if (lines.TryGetValue(code, out var first))
                {
                    Error(fields.Line("code"), $"catégorie {Quote(code)} déjà décrite ligne {first}.");
                }
                else
                {
                    lines[code] = fields.Line("code");
                    _categoryIndex[code] = categories.Count;
                    categories.Add(new Category(code, label ?? code, zoneHint, building));
                }
            }

            var missing = CategoryCodes.All.Where(code => !lines.ContainsKey(code)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                Error(node!.Line, $"catégorie(s) non décrite(s) : {List(missing)} ; chaque code de l'API v1 doit avoir un libellé.");
            }

            return categories;
        }

        private List<Rule> ReadRules(LinedJson? node, string? infogerantTool)
        {
            var rules = new List<Rule>();
            if (Items(node, "rules") is not { } items)
            {
                return rules;
            }

            if (items.Count == 0)
            {
                Error(node!.Line, "« rules » est vide : il faut au moins une règle, et que chaque ticket en trouve une.");
            }

            var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            foreach (var item in items)
            {
                var fields = Fields.Of(item, "d'une règle", errors, "id", "when", "target", "tool", "queue", "explanation");
                var id = fields.Text("id", "l'identifiant de la règle (ex. « R4 »), enregistré sur chaque décision");
                if (id is not null)
                {
                    if (string.Equals(id, TicketRerouted.ManualRule, StringComparison.OrdinalIgnoreCase))
                    {
                        Error(fields.Line("id"), $"l'identifiant {Quote(id)} est réservé aux réorientations faites à la main.");
                    }
                    else if (lines.TryGetValue(id, out var first))
                    {
                        Error(fields.Line("id"), $"identifiant de règle {Quote(id)} déjà utilisé ligne {first}.");
                    }
                    else
                    {
                        lines[id] = fields.Line("id");
                    }
                }

                var when = ReadCondition(fields.Optional("when"));
                var (target, tool) = ReadRoute(fields, infogerantTool);
                var context = new TemplateContext(tool is null ? null : ToolName(tool), when?.BuiltBefore);
                Template? queue = null;
                var queueText = fields.NullableText("queue");
                if (queueText is not null)
                {
                    if (tool is null && target is not null)
                    {
                        Error(fields.Line("queue"), $"la cible {Quote(target)} n'a pas d'outil : une file (« queue ») n'y a pas de sens.");
                    }

                    queue = ParseTemplate(queueText, fields.Line("queue"), context);
                }

                var explanation = ReadSentences(fields, "explanation", "l'explication, en français, qu'un secrétariat de collège comprend", context);
                if (id is not null && when is not null && target is not null && explanation is not null)
                {
                    rules.Add(new Rule(id, fields.Line("id"), when, target, tool, queue, explanation, queueText));
                }
            }

            return rules;
        }

        private (string? Target, string? Tool) ReadRoute(Fields fields, string? infogerantTool)
        {
            var target = fields.Text("target", $"la destination du ticket : {List(Targets)}");
            var tool = fields.NullableText("tool");
            if (target is null)
            {
                return (null, null);
            }

            if (!Targets.Contains(target, StringComparer.Ordinal))
            {
                Error(fields.Line("target"), $"cible inconnue {Quote(target)} : {List(Targets)}.");
                return (null, null);
            }

            var expected = target switch
            {
                // An invalid infogerantTool is reported already: GLPI stands in so that no other error follows from it.
                RouteTargets.Infogerant => infogerantTool ?? ExternalTools.Glpi,
                RouteTargets.Pass => ExternalTools.Pass,
                RouteTargets.Omere => ExternalTools.Omere,
                _ => null,
            };
            if (tool is null)
            {
                return (target, expected);
            }

            var known = new[] { ExternalTools.Glpi, ExternalTools.Itop, ExternalTools.Pass, ExternalTools.Omere };
            var problem = target switch
            {
                _ when !known.Contains(tool, StringComparer.Ordinal) => $"outil inconnu {Quote(tool)} : {List(known)}.",
                RouteTargets.Infogerant => "l'outil de l'infogérant est donné par « infogerantTool » (ou Routing:InfogerantTool) : retirez « tool » de la règle.",
                RouteTargets.Pass or RouteTargets.Omere when tool != expected => $"l'outil {Quote(tool)} ne convient pas à la cible {Quote(target)}, dont l'outil est {Quote(expected!)}.",
                RouteTargets.Pass or RouteTargets.Omere => null,
                _ => $"la cible {Quote(target)} ne crée pas de ticket dans un outil : retirez « tool ».",
            };
            if (problem is not null)
            {
                Error(fields.Line("tool"), problem);
            }

            return (target, expected);
        }

        private Condition? ReadCondition(LinedJson? node)
        {
            if (node is null)
            {
                return new Condition();
            }

            var fields = Fields.Of(node, "d'une condition « when »", errors,
                "college", "building", "category", "zone", "citeMixte", "zaTakenOver", "type", "builtBefore");
            var errorCount = errors.Count;
            var college = fields.NullableText("college") switch
            {
                null => (bool?)null,
                "known" => true,
                "unknown" => false,
                var other => Invalid<bool?>(fields.Line("college"), $"« college » vaut « known » (collège du registre) ou « unknown » (absent du registre), pas {Quote(other)}."),
            };
            var zone = fields.NullableText("zone") switch
            {
                null => (Zone?)null,
                Zones.Pedagogique => Zone.Pedagogique,
                Zones.Administrative => Zone.Administrative,
                "unknown" => Zone.Unknown,
                var other => Invalid<Zone?>(fields.Line("zone"), $"« zone » vaut « ZP », « ZA » ou « unknown » (ni indiquée ni déduite de la catégorie), pas {Quote(other)}."),
            };
            var type = fields.NullableText("type") switch
            {
                null => null,
                var t and ("incident" or "request") => t,
                var other => Invalid<string?>(fields.Line("type"), $"« type » vaut « incident » ou « request », pas {Quote(other)}."),
            };
            var builtBefore = fields.Integer("builtBefore");
            if (builtBefore is < 1800 or > 2200)
            {
                Error(fields.Line("builtBefore"), $"« builtBefore » est une année de construction, pas {builtBefore}.");
            }

            var condition = new Condition
            {
                CollegeKnown = college,
                Building = fields.Boolean("building"),
                Categories = ReadCategoryList(fields),
                Zone = zone,
                CiteMixte = fields.Boolean("citeMixte"),
                ZaTakenOver = fields.Boolean("zaTakenOver"),
                Type = type,
                BuiltBefore = builtBefore,
            };
            return errors.Count == errorCount ? condition : null;
        }

        private ulong ReadCategoryList(Fields fields)
        {
            var node = fields.Optional("category");
            IReadOnlyList<LinedJson> codes = node switch
            {
                null => [],
                LinedArray array => array.Items,
                _ => [node],
            };
            if (node is LinedArray { Items.Count: 0 })
            {
                Error(node.Line, "« category » est vide : listez au moins un code, ou retirez la condition.");
            }

            var mask = 0UL;
            foreach (var code in codes)
            {
                if (code is not LinedString { Value: var value })
                {
                    Error(code.Line, $"« category » liste des codes de catégorie, pas {code.Kind}.");
                }
                else if (_categoryIndex.TryGetValue(value, out var index))
                {
                    mask |= 1UL << index;
                }
                else
                {
                    Error(code.Line, $"catégorie inconnue {Quote(value)} dans la condition : {List(_categoryIndex.Keys)}.");
                }
            }

            return mask;
        }

        private List<FlagRule> ReadFlags(LinedJson? node)
        {
            var flags = new List<FlagRule>();
            if (node is null || Items(node, "flags") is not { } items)
            {
                return flags;
            }

            var lines = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var fields = Fields.Of(item, "d'un drapeau", errors, "flag", "when", "warning");
                var flag = fields.Text("flag", $"le drapeau posé sur le ticket : {List(KnownFlags)}");
                if (flag is not null && !KnownFlags.Contains(flag, StringComparer.Ordinal))
                {
                    Error(fields.Line("flag"), $"drapeau inconnu {Quote(flag)} : {List(KnownFlags)} (les connecteurs doivent savoir le porter).");
                    flag = null;
                }
                else if (flag is not null && !lines.TryAdd(flag, fields.Line("flag")))
                {
                    Error(fields.Line("flag"), $"drapeau {Quote(flag)} déjà décrit ligne {lines[flag]}.");
                }

                var when = ReadCondition(fields.Required("when", "les conditions du drapeau"));
                if (when is { IsEmpty: true })
                {
                    Error(fields.Line("when"), "un drapeau sans condition serait posé sur tous les tickets.");
                }

                var warning = ReadSentences(fields, "warning", "l'avertissement, en français, ajouté à l'explication", new TemplateContext(null, when?.BuiltBefore));
                if (flag is not null && when is not null && warning is not null)
                {
                    flags.Add(new FlagRule(flag, fields.Line("flag"), when, warning));
                }
            }

            return flags;
        }

        /// <summary>A text, or a list of sentences: the first always shown, the others when their values exist.</summary>
        private Sentences? ReadSentences(Fields fields, string name, string meaning, TemplateContext context)
        {
            var node = fields.Required(name, meaning);
            IReadOnlyList<LinedJson> items = node switch
            {
                null => [],
                LinedArray array => array.Items,
                _ => [node],
            };
            if (node is null)
            {
                return null;
            }

            var sentences = new List<Template>();
            foreach (var item in items)
            {
                if (item is LinedString { Value: var text } && !string.IsNullOrWhiteSpace(text))
                {
                    if (ParseTemplate(text.Trim(), item.Line, context) is { } template)
                    {
                        sentences.Add(template);
                    }
                }
                else
                {
                    Error(item.Line, $"« {name} » est un texte non vide, ou une liste de phrases, pas {(item is LinedString ? "un texte vide" : item.Kind)}.");
                }
            }

            if (items.Count == 0)
            {
                Error(node.Line, $"« {name} » est vide.");
            }

            return sentences.Count == items.Count && sentences.Count > 0
                ? new Sentences(sentences, [.. items.Cast<LinedString>().Select(item => item.Value.Trim())])
                : null;
        }

        /// <summary>Splits <paramref name="text"/> into literals and placeholders; those known when loading are written in.</summary>
        private Template? ParseTemplate(string text, int line, TemplateContext context)
        {
            var parts = new List<Template.Part>();
            var literal = new System.Text.StringBuilder();
            var ok = true;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '}')
                {
                    Error(line, $"accolade fermante sans accolade ouvrante dans {Quote(text)}.");
                    return null;
                }

                if (text[i] != '{')
                {
                    literal.Append(text[i]);
                    continue;
                }

                var end = text.IndexOf('}', i);
                if (end < 0)
                {
                    Error(line, $"accolade ouvrante jamais fermée dans {Quote(text)}.");
                    return null;
                }

                var name = text[(i + 1)..end];
                i = end;
                Placeholder? placeholder = name switch
                {
                    "uai" => Placeholder.Uai,
                    "college" => Placeholder.College,
                    "commune" => Placeholder.Commune,
                    "ut" => Placeholder.Ut,
                    "repriseDate" => Placeholder.RepriseDate,
                    _ => null,
                };
                if (placeholder is { } dynamic)
                {
                    if (literal.Length > 0)
                    {
                        parts.Add(new Template.Part(literal.ToString(), default));
                        literal.Clear();
                    }

                    parts.Add(new Template.Part(null, dynamic));
                    continue;
                }

                var value = name switch
                {
                    "tool" => context.ToolName ?? Invalid<string?>(line, "{tool} : cette règle n'envoie le ticket dans aucun outil."),
                    "builtBefore" => context.BuiltBefore?.ToString(CultureInfo.InvariantCulture)
                        ?? Invalid<string?>(line, "{builtBefore} : il faut une condition « builtBefore » à côté."),
                    _ when name.StartsWith("contact:", StringComparison.Ordinal) => _contacts.TryGetValue(name["contact:".Length..], out var contact)
                        ? contact
                        : Invalid<string?>(line, $"{{{name}}} : contact inconnu ; décrivez-le dans « contacts » ({List(_contacts.Keys)})."),
                    _ => Invalid<string?>(line, $"espace réservé inconnu {{{name}}} : {PlaceholderList}."),
                };
                if (value is null)
                {
                    ok = false;
                }

                literal.Append(value);
            }

            if (literal.Length > 0)
            {
                parts.Add(new Template.Part(literal.ToString(), default));
            }

            return ok ? new Template(parts) : null;
        }

        private IReadOnlyList<LinedJson>? Items(LinedJson? node, string name)
        {
            if (node is LinedArray array)
            {
                return array.Items;
            }

            if (node is not null)
            {
                Error(node.Line, $"« {name} » doit être une liste [ … ], pas {node.Kind}.");
            }

            return null;
        }

        private T Invalid<T>(int line, string message)
        {
            Error(line, message);
            return default!;
        }

        private void Error(int line, string message) => errors.Add(new RuleSetError(line, message));

        /// <param name="ToolName">How <c>{tool}</c> reads for the rule (GLPI, iTop, PASS, Omère), null without a tool.</param>
        /// <param name="BuiltBefore">The rule's <c>builtBefore</c>, what <c>{builtBefore}</c> reads.</param>
        private sealed record TemplateContext(string? ToolName, int? BuiltBefore);
    }

    /// <summary>The properties of one JSON object, with the names it may have; reports the others and the duplicates.</summary>
    private sealed class Fields
    {
        private readonly Dictionary<string, LinedProperty> _properties = new(StringComparer.Ordinal);
        private readonly List<RuleSetError> _errors;

        /// <summary>The object itself is missing or not an object (reported once): its properties are not reported missing.</summary>
        private readonly bool _absent;

        private Fields(int line, List<RuleSetError> errors, bool absent)
        {
            ObjectLine = line;
            _errors = errors;
            _absent = absent;
        }

        public int ObjectLine { get; }

        /// <param name="what">Completes « propriété inconnue … » (e.g. « d'une règle »).</param>
        public static Fields Of(LinedJson? node, string what, List<RuleSetError> errors, params string[] allowed)
        {
            if (node is not LinedObject json)
            {
                if (node is not null)
                {
                    errors.Add(new RuleSetError(node.Line, $"attendu : un objet {{ … }} {what}, pas {node.Kind}."));
                }

                return new Fields(node?.Line ?? 1, errors, absent: true);
            }

            var fields = new Fields(json.Line, errors, absent: false);
            foreach (var property in json.Properties)
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    errors.Add(new RuleSetError(property.Line, $"propriété inconnue {Quote(property.Name)} {what} (attendues : {List(allowed)})."));
                }
                else if (!fields._properties.TryAdd(property.Name, property))
                {
                    errors.Add(new RuleSetError(property.Line, $"propriété {Quote(property.Name)} déjà donnée ligne {fields._properties[property.Name].Line}."));
                }
            }

            return fields;
        }

        /// <summary>Line of the property, or of the object when it is absent.</summary>
        public int Line(string name) => _properties.TryGetValue(name, out var property) ? property.Line : ObjectLine;

        public LinedJson? Optional(string name) =>
            _properties.TryGetValue(name, out var property) && property.Value is not LinedNull ? property.Value : null;

        public LinedJson? Required(string name, string meaning)
        {
            var value = Optional(name);
            if (value is null && !_absent)
            {
                _errors.Add(new RuleSetError(ObjectLine, $"« {name} » est obligatoire : {meaning}."));
            }

            return value;
        }

        /// <summary>A required, non-blank text.</summary>
        public string? Text(string name, string meaning)
        {
            var value = Required(name, meaning);
            return value is null ? null : AsText(name, value, required: true);
        }

        public string? NullableText(string name) => Optional(name) is { } value ? AsText(name, value, required: false) : null;

        public bool? Boolean(string name)
        {
            switch (Optional(name))
            {
                case null:
                    return null;
                case LinedBoolean boolean:
                    return boolean.Value;
                case var other:
                    _errors.Add(new RuleSetError(other.Line, $"« {name} » vaut true ou false, pas {other.Kind}."));
                    return null;
            }
        }

        public int? Integer(string name)
        {
            switch (Optional(name))
            {
                case null:
                    return null;
                case LinedNumber { Int32: { } number }:
                    return number;
                case var other:
                    _errors.Add(new RuleSetError(other.Line, $"« {name} » est un nombre entier, pas {(other is LinedNumber n ? n.Text : other.Kind)}."));
                    return null;
            }
        }

        private string? AsText(string name, LinedJson value, bool required)
        {
            if (value is LinedString { Value: var text } && !string.IsNullOrWhiteSpace(text))
            {
                return text.Trim();
            }

            _errors.Add(new RuleSetError(value.Line, value is LinedString
                ? $"« {name} » est vide{(required ? " : il est obligatoire" : " : retirez-le ou donnez-lui une valeur")}."
                : $"« {name} » est un texte, pas {value.Kind}."));
            return null;
        }
    }

    /// <summary>
    /// Tries the rules on one ticket of every kind the conditions can tell apart, through the same
    /// <see cref="RoutingPolicy"/> that routes real tickets: every kind must find a rule, every rule
    /// and flag must fire for some kind, and the first sentence of what fires (and the queue) must
    /// have all its values. A condition added to <see cref="Condition"/> must add its kinds here.
    /// </summary>
    private static class Coverage
    {
        private static readonly DateTimeOffset CreatedAt = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

        public static void Check(RuleSet ruleSet, int rulesLine, List<RuleSetError> errors)
        {
            var policy = new RoutingPolicy(ruleSet);
            var fired = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var reported = new HashSet<object>(ReferenceEqualityComparer.Instance);
            var uncovered = false;
            foreach (var (ticket, college) in Kinds(ruleSet, policy.TicketDay(CreatedAt)))
            {
                var facts = policy.Observe(ticket, CreatedAt, college);
                if (policy.FirstMatch(facts) is not { } rule)
                {
                    if (!uncovered)
                    {
                        uncovered = true;
                        errors.Add(new RuleSetError(rulesLine,
                            $"aucune règle ne s'applique à un ticket {Describe(ticket, college)} : chaque ticket doit trouver une règle ; terminez par exemple la liste par une règle sans condition vers « triage »."));
                    }

                    continue;
                }

                fired.Add(rule);
                if ((rule.Explanation.First.Missing(facts) ?? rule.Queue?.Missing(facts)) is { } missing && reported.Add(rule))
                {
                    errors.Add(new RuleSetError(rule.Line,
                        $"règle {Quote(rule.Id)} : {Name(missing)} n'a pas de valeur pour un ticket {Describe(ticket, college)} ; la première phrase et la file doivent toujours être complètes (mettez ce qui peut manquer dans une phrase suivante, ajoutez une condition, ou placez avant celle-ci une règle pour ce cas)."));
                }

                foreach (var flag in ruleSet.Flags)
                {
                    if (flag.When.Matches(facts))
                    {
                        fired.Add(flag);
                        if (flag.Warning.First.Missing(facts) is { } absent && reported.Add(flag))
                        {
                            errors.Add(new RuleSetError(flag.Line,
                                $"drapeau {Quote(flag.Flag)} : {Name(absent)} n'a pas de valeur pour un ticket {Describe(ticket, college)} ; la première phrase de l'avertissement doit toujours être complète."));
                        }
                    }
                }
            }

            foreach (var rule in ruleSet.Rules.Where(rule => !fired.Contains(rule)))
            {
                errors.Add(new RuleSetError(rule.Line,
                    $"la règle {Quote(rule.Id)} ne s'applique à aucun ticket : ses conditions se contredisent, ou les règles placées avant elle prennent déjà tous ses tickets (vérifiez l'ordre)."));
            }

            foreach (var flag in ruleSet.Flags.Where(flag => !fired.Contains(flag)))
            {
                errors.Add(new RuleSetError(flag.Line, $"le drapeau {Quote(flag.Flag)} ne s'applique à aucun ticket : ses conditions se contredisent."));
            }
        }

        /// <summary>One ticket per category (and an unknown one), zone given or not, building impact, type; one collège per kind.</summary>
        private static IEnumerable<(TicketDetails Ticket, College? College)> Kinds(RuleSet ruleSet, DateOnly ticketDay)
        {
            var years = new List<int?> { null };
            foreach (var year in ruleSet.Rules.Select(r => r.When.BuiltBefore).Concat(ruleSet.Flags.Select(f => f.When.BuiltBefore)).OfType<int>().Distinct())
            {
                years.AddRange([year - 1, year]);
            }

            var colleges = new List<College?> { null };
            foreach (var citeMixte in new[] { false, true })
            {
                foreach (var reprise in new DateOnly?[] { null, ticketDay.AddDays(-1), ticketDay.AddDays(1) })
                {
                    colleges.AddRange(years.Select(year => new College("0000000A", "Collège d'exemple", "Commune", "UT1", citeMixte, reprise, year)));
                }
            }

            var requester = new Requester("Vérification", "verification@exemple.invalid", null);
            foreach (var category in ruleSet.Categories.Select(c => c.Code).Append("categorie-inconnue"))
            {
                foreach (var zone in new[] { Zones.Pedagogique, Zones.Administrative, null })
                {
                    foreach (var building in new[] { false, true })
                    {
                        foreach (var type in new[] { "incident", "request" })
                        {
                            var ticket = new TicketDetails("0000000A", requester, zone, category, type, building, "", "", "normal", null, null);
                            foreach (var college in colleges)
                            {
                                yield return (ticket, college);
                            }
                        }
                    }
                }
            }
        }

        private static string Describe(TicketDetails ticket, College? college)
        {
            var collegeText = college is null
                ? "d'un collège absent du registre"
                : $"d'un collège {(college.CiteMixte ? "cité mixte" : "hors cité mixte")}, "
                  + (college.ZaRepriseDate is null ? "ZA non reprise" : college.ZaRepriseDate < DateOnly.FromDateTime(CreatedAt.UtcDateTime) ? "ZA reprise" : "reprise de la ZA prévue plus tard")
                  + (college.BuiltYear is { } year ? $", construit en {year}" : "");
            return $"(catégorie {Quote(ticket.Category)}, zone {ticket.Zone ?? "non indiquée"}, {(ticket.BuildingImpact ? "avec" : "sans")} impact sur le bâtiment, de type {Quote(ticket.Type)}, {collegeText})";
        }
    }
}
