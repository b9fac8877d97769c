/** resource-get: the path of a resource in the charm container, without a trailing newline. */
import { resourcePath } from '../../model/views.js';
import { RawOutput, type ToolDef } from '../call.js';
import { checkEmpty } from '../flags.js';
import { fail, usage } from '../tool-error.js';

export const resourceTools: Record<string, ToolDef> = {
  'resource-get': {
    run(call) {
      const [name, ...rest] = call.positionals;
      if (name === undefined || name === '') throw usage('missing required resource name');
      checkEmpty(rest);
      const app = call.model.apps[call.ctx.app]!;
      const meta = app.charm.meta.resources?.[name];
      const res = app.resources[name];
      if (!meta || !res) throw fail(`could not download resource: resource "${name}" not found`);
      if (res.path === null)
        throw fail(
          `could not download resource: resource "${name}" has not been uploaded (use charm-sim attach-resource)`,
        );
      if (meta.type === 'oci-image') {
        const to = resourcePath(call.ctx.unit, name, 'content.yaml');
        const content = `registrypath: ${res.path}\nusername: ""\npassword: ""\n`;
        call.effects.push({ type: 'fetch-resource', unit: call.ctx.unit, resource: name, from: null, content, to });
        return new RawOutput(to);
      }
      const filename = meta.filename ?? name;
      const to = resourcePath(call.ctx.unit, name, filename);
      call.effects.push({
        type: 'fetch-resource',
        unit: call.ctx.unit,
        resource: name,
        from: res.path,
        content: null,
        to,
      });
      return new RawOutput(to);
    },
  },
};
