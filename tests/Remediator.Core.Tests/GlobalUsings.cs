// The namespaces most test classes of this project read: declared once here rather than at the top of each file.
global using System.Text.Json;
global using System.Text.Json.Nodes;
global using Remediator.Core.Audit;
global using Remediator.Core.Engine;
global using Remediator.Core.Events;
global using Remediator.Core.Execution;
global using Remediator.Core.Registry;
global using Remediator.Core.Remediation;
global using Remediator.Core.Rules;
global using Remediator.Core.Tests.Engine;
