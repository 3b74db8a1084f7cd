using ComplexityAgent;
using ComplexityAgent.Manifests;
using Microsoft.Extensions.AI;

// The manifests were bought and verified at build time; their ids are baked into this binary.
Console.WriteLine($"ComplexityClassification {ComplexityClassification.CompiledId[..12]} ({ComplexityClassification.Optimizer}, accuracy {ComplexityClassification.Scorecard?.Accuracy})");
Console.WriteLine($"TaskPlanner              {TaskPlanner.CompiledId[..12]} ({TaskPlanner.Optimizer})");
Console.WriteLine();

// Swap in any Microsoft.Extensions.AI client here (OpenAI, Ollama, Azure...): the manifests only need IChatClient.
using IChatClient client = new LocalRulesChatClient();

string[] tasks =
[
    "rename a variable in the parser",
    "add an endpoint that lists invoices",
    "refactor the connection pool for concurrent access",
    "fix a typo in the README",
];

foreach (var task in tasks)
{
    var decision = await ComplexityClassification.PredictAsync(client, new ComplexityClassification.Input(task));
    Console.WriteLine($"{decision.Complexity,-9} {task}");
    if (decision.Complexity == ComplexityClassification.Complexity.Complex)
    {
        var plan = await TaskPlanner.PredictAsync(client, new TaskPlanner.Input(task));
        foreach (var step in plan.Steps)
        {
            Console.WriteLine($"          - {step}");
        }
    }
}
